import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mx-target-not-cname (RFC 2181 §10.3)", () => {
  test("passes an MX whose target has addresses", () => expect(check("mx-target-not-cname", goodDomain)).toEqual([]));
  test("flags an MX that targets a CNAME", () => {
    const f = check("mx-target-not-cname", [rr("example.com", "MX", "10 mx.example.com."), rr("mx.example.com", "CNAME", "mail.example.net.")]);
    expect(summary(f)).toEqual(["mx-target-not-cname example.com MX error"]);
  });
});

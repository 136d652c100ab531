import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mx-not-ip-literal (RFC 5321 §5.1)", () => {
  test("passes host-name targets", () => expect(check("mx-not-ip-literal", goodDomain)).toEqual([]));
  test("flags IPv4 and IPv6 literal targets", () => {
    const f = check("mx-not-ip-literal", [rr("example.com", "MX", "10 192.0.2.1.", "20 [2001:db8::1]")]);
    expect(summary(f)).toEqual(["mx-not-ip-literal example.com MX error", "mx-not-ip-literal example.com MX error"]);
  });
});

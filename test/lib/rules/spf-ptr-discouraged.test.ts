import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-ptr-discouraged (RFC 7208 §5.5)", () => {
  test("passes records without ptr", () => expect(check("spf-ptr-discouraged", goodDomain)).toEqual([]));
  test("warns on ptr", () => {
    expect(summary(check("spf-ptr-discouraged", [rr("example.com", "TXT", "v=spf1 ptr:example.com -all")]))).toEqual(["spf-ptr-discouraged example.com SPF warning"]);
  });
});

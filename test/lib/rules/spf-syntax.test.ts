import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-syntax (RFC 7208 §12)", () => {
  test("passes a valid record", () => expect(check("spf-syntax", goodDomain)).toEqual([]));
  test("flags every bad term", () => {
    const f = check("spf-syntax", [rr("example.com", "TXT", "v=spf1 ip4:192.0.2.300 a:foo include -all")]);
    expect(summary(f)).toEqual(Array(3).fill("spf-syntax example.com SPF error"));
  });
});

import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-record-size (RFC 7208 §3.4)", () => {
  test("passes a short record", () => expect(check("spf-record-size", goodDomain)).toEqual([]));
  test("warns over 450 octets", () => {
    const big = `v=spf1 ${Array.from({ length: 40 }, (_, i) => `ip4:192.0.2.${i}`).join(" ")} -all`;
    expect(big.length).toBeGreaterThan(450);
    expect(summary(check("spf-record-size", [rr("example.com", "TXT", big)]))).toEqual(["spf-record-size example.com SPF warning"]);
  });
});

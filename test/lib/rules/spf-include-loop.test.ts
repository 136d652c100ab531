import { checkWithFacts, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-include-loop (RFC 7208 §4.6.4, §5.2)", () => {
  test("passes an include chain that ends", async () => {
    expect(await checkWithFacts("spf-include-loop", [...goodDomain, rr("_spf.example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all"), rr("a.example.com", "TXT", "v=spf1 include:_spf.example.com -all")])).toEqual([]);
  });
  test("flags include chains that return", async () => {
    const f = await checkWithFacts("spf-include-loop", [rr("example.com", "TXT", "v=spf1 include:_spf.example.com -all"), rr("_spf.example.com", "TXT", "v=spf1 include:example.com -all")]);
    expect(summary(f)).toEqual(["spf-include-loop example.com SPF error", "spf-include-loop _spf.example.com SPF error"]);
  });
});

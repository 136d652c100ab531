import { checkWithFacts, rr, summary } from "../../helpers/rules";

describe("spf-void-lookup-limit (RFC 7208 §4.6.4)", () => {
  test("passes two void lookups", async () => {
    expect(await checkWithFacts("spf-void-lookup-limit", [rr("example.com", "TXT", "v=spf1 a:gone1.example.com a:gone2.example.com -all")])).toEqual([]);
  });
  test("flags three", async () => {
    const f = await checkWithFacts("spf-void-lookup-limit", [rr("example.com", "TXT", "v=spf1 a:gone1.example.com a:gone2.example.com mx:gone3.example.com -all")]);
    expect(summary(f)).toEqual(["spf-void-lookup-limit example.com SPF error"]);
  });
});

import { staticResolver } from "../../../lib/resolver";
import { check, checkWithFacts, goodDomain, rr, summary } from "../../helpers/rules";

const includes = (n: number) => Array.from({ length: n }, (_, i) => `include:i${i}.example.net`).join(" ");
const provider = staticResolver(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`i${i}.example.net`, { TXT: [`v=spf1 a:h.example.net -all`] }])));

describe("spf-lookup-limit (RFC 7208 §4.6.4)", () => {
  test("passes a record within the limit", async () => {
    expect(await checkWithFacts("spf-lookup-limit", goodDomain)).toEqual([]);
    expect(await checkWithFacts("spf-lookup-limit", [rr("example.com", "TXT", `v=spf1 ${includes(5)} -all`)], provider)).toEqual([]);
  });
  test("flags 12 lookups through includes expanded", async () => {
    const f = await checkWithFacts("spf-lookup-limit", [rr("example.com", "TXT", `v=spf1 ${includes(6)} -all`)], provider);
    expect(summary(f)).toEqual(["spf-lookup-limit example.com SPF error"]);
  });
  test("without facts, counts the record's own terms", () => {
    expect(summary(check("spf-lookup-limit", [rr("example.com", "TXT", `v=spf1 ${includes(11)} -all`)]))).toEqual(["spf-lookup-limit example.com SPF error"]);
    expect(check("spf-lookup-limit", [rr("example.com", "TXT", `v=spf1 ${includes(10)} -all`)])).toEqual([]);
  });
  test("unreachable DNS is a could-not-verify warning, not a violation", async () => {
    const f = await checkWithFacts("spf-lookup-limit", [rr("example.com", "TXT", "v=spf1 include:x.example.net -all")]);
    expect(summary(f)).toEqual(["spf-lookup-limit example.com SPF warning"]);
  });
  test("the limit is configurable", () => {
    expect(check("spf-lookup-limit", [rr("example.com", "TXT", `v=spf1 ${includes(4)} -all`)], { options: { limit: 3 } })).toHaveLength(1);
  });
});

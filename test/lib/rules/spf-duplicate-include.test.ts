import { staticResolver } from "../../../lib/resolver";
import { check, checkWithFacts, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-duplicate-include (RFC 7208 §4.6.4)", () => {
  test("passes distinct includes", () => expect(check("spf-duplicate-include", goodDomain)).toEqual([]));
  test("warns on the same include twice in a record", () => {
    expect(summary(check("spf-duplicate-include", [rr("example.com", "TXT", "v=spf1 include:x.example.net include:X.example.net -all")]))).toEqual([
      "spf-duplicate-include example.com SPF warning",
    ]);
  });
  test("warns on a domain reached twice through nested includes", async () => {
    const resolver = staticResolver({
      "a.example.net": { TXT: ["v=spf1 include:shared.example.net -all"] },
      "b.example.net": { TXT: ["v=spf1 include:shared.example.net -all"] },
      "shared.example.net": { TXT: ["v=spf1 ip4:192.0.2.1 -all"] },
    });
    const f = await checkWithFacts("spf-duplicate-include", [rr("example.com", "TXT", "v=spf1 include:a.example.net include:b.example.net -all")], resolver);
    expect(summary(f)).toEqual(["spf-duplicate-include example.com SPF warning"]);
  });
});

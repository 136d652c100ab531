import { staticResolver } from "../../../lib/resolver";
import { checkWithFacts, rr, summary } from "../../helpers/rules";

describe("spf-include-resolves (RFC 7208 §5.2, §6.1)", () => {
  const resolver = staticResolver({
    "ok.example.net": { TXT: ["v=spf1 ip4:192.0.2.1 -all"] },
    "nospf.example.net": { TXT: ["hello"] },
    "two.example.net": { TXT: ["v=spf1 -all", "v=spf1 ~all"] },
    "slow.example.net": { timeout: true },
  });
  test("passes targets with one SPF record", async () => {
    expect(await checkWithFacts("spf-include-resolves", [rr("example.com", "TXT", "v=spf1 include:ok.example.net -all")], resolver)).toEqual([]);
  });
  test("flags targets with none or two; warns when DNS fails", async () => {
    const f = await checkWithFacts("spf-include-resolves", [rr("example.com", "TXT", "v=spf1 include:nospf.example.net include:two.example.net include:slow.example.net -all")], resolver);
    expect(summary(f)).toEqual(["spf-include-resolves example.com SPF error", "spf-include-resolves example.com SPF error", "spf-include-resolves example.com SPF warning"]);
  });
});

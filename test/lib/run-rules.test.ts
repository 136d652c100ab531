import { MailDnsError } from "../../lib/errors";
import { collectFacts } from "../../lib/facts";
import { rules, runRules } from "../../lib/rules";
import { staticResolver } from "../../lib/resolver";
import { createView } from "../../lib/view";
import { goodDomain, rr } from "../helpers/rules";

describe("runRules", () => {
  test("a clean domain has no findings under the whole catalogue, with facts collected", async () => {
    const view = await collectFacts(createView(goodDomain, { zones: ["example.com", "2.0.192.in-addr.arpa"] }));
    expect(runRules(view)).toEqual([]);
  });

  test("collects every finding of every rule, errors first", () => {
    const view = createView([rr("example.com", "MX", "10 192.0.2.1."), rr("example.com", "TXT", "v=spf1 +all", "v=spf1 mx"), rr("_dmarc.example.com", "TXT", "v=DMARC1; p=none")], { zones: ["example.com"] });
    const f = runRules(view);
    expect(new Set(f.map((x) => x.ruleId))).toEqual(new Set(["mx-not-ip-literal", "spf-single-record", "spf-no-plus-all", "spf-missing-all", "dmarc-policy-none"]));
    const firstWarning = f.findIndex((x) => x.severity === "warning");
    expect(f.slice(firstWarning).every((x) => x.severity === "warning")).toBe(true);
  });

  test("only, disabled and options", () => {
    const view = createView([rr("_dmarc.example.com", "TXT", "v=DMARC1; p=none")], { zones: ["example.com"] });
    expect(runRules(view, { disabled: ["dmarc-policy-none"] })).toEqual([]);
    expect(runRules(view, { only: ["dmarc-syntax"] })).toEqual([]);
    expect(runRules(view, { options: { "spf-lookup-limit": { limit: 5 } } }).map((x) => x.ruleId)).toEqual(["dmarc-policy-none"]);
  });

  test("an unknown rule id is a configuration error naming the id", () => {
    const view = createView([]);
    expect(() => runRules(view, { disabled: ["spf-lookups"] })).toThrow(MailDnsError);
    try {
      runRules(view, { only: ["nope"] });
    } catch (e) {
      expect((e as MailDnsError).code).toBe("invalid-config");
      expect((e as MailDnsError).value).toBe("nope");
    }
  });

  test("every finding carries the rule id, a subject and an RFC", async () => {
    const view = await collectFacts(createView([rr("example.com", "TXT", "v=spf1 include:x.example.net ptr -all")], { zones: ["example.com"] }), {
      resolver: staticResolver({ "x.example.net": { TXT: ["hello"] } }),
    });
    const f = runRules(view);
    expect(f.length).toBeGreaterThan(0);
    for (const x of f) {
      expect(rules.map((r) => r.id)).toContain(x.ruleId);
      expect(x.subject).toMatch(/\S/);
      expect(x.rfc).toMatch(/\S/);
    }
  });
});

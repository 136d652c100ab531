import { analyzeSpf } from "../../../lib/spf";
import { cachingResolver, staticResolver, StaticRecords } from "../../../lib/resolver";
import { recordingResolver } from "../../helpers/recording-resolver";

const provider: Record<string, StaticRecords> = {
  "_spf.mailer.example": { TXT: ["v=spf1 include:_netblocks.mailer.example include:_netblocks2.mailer.example ~all"] },
  "_netblocks.mailer.example": { TXT: ["v=spf1 ip4:198.51.100.0/24 ~all"] },
  "_netblocks2.mailer.example": { TXT: ["v=spf1 ip6:2001:db8::/32 a:relay.mailer.example ~all"] },
  "relay.mailer.example": { A: ["198.51.100.9"] },
  "crm.example": { TXT: ["v=spf1 mx a -all"], MX: [{ priority: 10, exchange: "mx.crm.example" }], A: ["203.0.113.5"] },
  "mx.crm.example": { A: ["203.0.113.6"] },
};

describe("analyzeSpf (RFC 7208 §4.6.4)", () => {
  test("the include tree with each node's own count", async () => {
    const resolver = staticResolver({ ...provider, "example.com": { TXT: ["v=spf1 mx include:_spf.mailer.example include:crm.example -all"], MX: [{ priority: 10, exchange: "mail.example.com" }] } });
    const a = await analyzeSpf("example.com", { resolver });
    expect(a.lookups).toBe(1 + 1 + 2 + 1 + 1 + 2);
    expect(a.tree.ownLookups).toBe(3);
    expect(a.tree.children.map((c) => [c.domain, c.ownLookups, c.lookups])).toEqual([
      ["_spf.mailer.example", 2, 3],
      ["crm.example", 2, 2],
    ]);
    expect(a.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("eleven lookups through includes is spf-lookup-limit", async () => {
    const zone: Record<string, StaticRecords> = { "example.com": { TXT: [`v=spf1 ${Array.from({ length: 6 }, (_, i) => `include:i${i}.example.net`).join(" ")} -all`] } };
    for (let i = 0; i < 6; i++) zone[`i${i}.example.net`] = { TXT: [i < 5 ? `v=spf1 a:h${i}.example.net -all` : "v=spf1 ip4:192.0.2.1 -all"], A: ["192.0.2.1"] };
    for (let i = 0; i < 6; i++) zone[`h${i}.example.net`] = { A: ["192.0.2.2"] };
    const a = await analyzeSpf("example.com", { resolver: staticResolver(zone) });
    expect(a.lookups).toBe(11);
    expect(a.findings.map((f) => f.ruleId)).toContain("spf-lookup-limit");
  });

  test("void lookups, loops, repeated includes, +all, ptr, missing all", async () => {
    const resolver = staticResolver({
      "example.com": { TXT: ["v=spf1 a:gone1.example.com a:gone2.example.com a:gone3.example.com include:loop.example.net include:_spf.mailer.example include:_spf.mailer.example ptr +all"] },
      "loop.example.net": { TXT: ["v=spf1 include:example.com"] },
      ...provider,
    });
    const a = await analyzeSpf("example.com", { resolver });
    expect(a.voidLookups).toBe(3);
    expect(a.loops).toEqual([["example.com", "loop.example.net", "example.com"]]);
    expect(a.repeatedIncludes).toContain("_spf.mailer.example");
    const ids = new Set(a.findings.map((f) => f.ruleId));
    for (const id of ["spf-void-lookup-limit", "spf-include-loop", "spf-duplicate-include", "spf-no-plus-all", "spf-ptr-discouraged"]) expect(ids).toContain(id);
  });

  test("a target without SPF and a DNS failure are reported, never thrown", async () => {
    const resolver = staticResolver({
      "example.com": { TXT: ["v=spf1 include:nospf.example.net include:slow.example.net -all"] },
      "nospf.example.net": { TXT: ["site-verification=abc"] },
      "slow.example.net": { timeout: true },
    });
    const a = await analyzeSpf("example.com", { resolver });
    expect(a.incomplete).toHaveLength(1);
    const byRule = a.findings.filter((f) => f.ruleId === "spf-include-resolves").map((f) => f.severity).sort();
    expect(byRule).toEqual(["error", "warning"]);
  });

  test("over many domains sharing includes, each distinct question is asked once per run", async () => {
    const zone: Record<string, StaticRecords> = { ...provider };
    const domains = Array.from({ length: 50 }, (_, i) => `d${i}.example`);
    for (const d of domains) zone[d] = { TXT: [`v=spf1 a mx include:_spf.mailer.example include:crm.example -all`], A: ["192.0.2.1"], MX: [{ priority: 10, exchange: "mx.crm.example" }] };
    const rec = recordingResolver(staticResolver(zone));
    const resolver = cachingResolver(rec);
    for (const d of domains) await analyzeSpf(d, { resolver });
    const counts = new Map<string, number>();
    for (const q of rec.queries) counts.set(q, (counts.get(q) ?? 0) + 1);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // 50 domains x (TXT, A, AAAA, MX) + the shared include tree asked once.
    expect(counts.get("TXT _spf.mailer.example")).toBe(1);
    expect(rec.queries.length).toBe(new Set(rec.queries).size);
  });
});

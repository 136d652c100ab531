import type { PolicyPackConfig } from "@pulumi/policy";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint, resourcesFromJson } from "../../cli/lint";
import { evaluate } from "../../policies/evaluate";
import { ownerName, unescapeOctets } from "../../policies/zones";
import { GOOD_RULES, PROGRAM_CASES, previewJson, ProgramCase, zonesSetting } from "../fixtures/programs";

/**
 * The policy pack on programs written the way the Cloudflare and Route 53
 * docs write them (test/fixtures/programs.ts): relative names, zone ids from
 * Zone resources or getZone, unquoted TXT, aliases, weighted sets.
 */
const offline = { "spf-include-resolves": { offline: true }, "spf-lookup-limit": { offline: true }, "spf-void-lookup-limit": { offline: true }, "spf-mx-ptr-name-limit": { offline: true }, "spf-include-loop": { offline: true }, "spf-duplicate-include": { offline: true }, "maildns-notes": { offline: true } };
const configFor = (cases: ProgramCase[]) => ({ ...offline, "maildns-settings": { zones: zonesSetting(cases) } });
const run = (cases: ProgramCase[], config: PolicyPackConfig = configFor(cases)) => evaluate(resourcesFromJson(previewJson(cases), "preview.json"), config);
const failing = PROGRAM_CASES.filter((c) => c.subject);
const good = PROGRAM_CASES.filter((c) => !c.subject);

describe("provider name rules", () => {
  test.each([
    ["@", "example.com", "cloudflare", "example.com"],
    ["mail", "example.com", "cloudflare", "mail.example.com"],
    ["mail.sub", "example.com", "cloudflare", "mail.sub.example.com"],
    ["Mail.Example.com", "example.com", "cloudflare", "mail.example.com"],
    ["", "example.com", "route53", "example.com"],
    ["www", "example.com", "route53", "www.example.com"],
    ["www.example.com.", "example.com", "route53", "www.example.com"],
    ["\\052.example.com", "example.com", "route53", "*.example.com"],
    ["\\052", "example.com", "route53", "*.example.com"],
    ["example.com", "example.com", "route53", "example.com"],
  ] as const)("%j in %s on %s is %s", (name, zone, provider, full) => {
    expect(ownerName(name, zone, provider)).toBe(full);
  });
  test("\\DDD escapes", () => expect(unescapeOctets("\\052.a\\.b")).toBe("*.a.b"));
});

describe("each mistake, written as the provider docs write programs, is caught", () => {
  test.each(failing.map((c) => [c.id, c.rule, c] as const))("%s: %s", async (_id, rule, c) => {
    const v = await run([c]);
    const mine = v.filter((x) => x.policy === rule);
    expect(mine.map((x) => x.subject)).toContain(c.subject);
    expect(mine[0]?.level).toBe("mandatory");
    expect(mine[0]?.urn).toMatch(/^urn:pulumi:dev::program::/);
  });

  test.each(good.map((c) => [c.id, c] as const))("%s: correct shapes pass", async (_id, c) => {
    const v = await run([c]);
    expect(v.filter((x) => GOOD_RULES.includes(x.policy))).toEqual([]);
    expect(v.filter((x) => x.level === "note")).toEqual([]);
  });

  test.each(["cloudflare", "route53"] as const)("all %s cases in one program: every violation, and nothing skipped", async (provider) => {
    const cases = PROGRAM_CASES.filter((c) => c.provider === provider);
    const v = await run(cases);
    for (const c of cases.filter((x) => x.subject)) expect([c.id, v.some((x) => x.policy === c.rule && x.subject === c.subject)]).toEqual([c.id, true]);
    expect(v.filter((x) => x.level === "note")).toEqual([]);
  });

  test("maildns lint on the preview JSON gives the same verdicts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "maildns-programs-"));
    const file = join(dir, "preview.json");
    const config = join(dir, "config.json");
    writeFileSync(file, JSON.stringify(previewJson(PROGRAM_CASES)));
    writeFileSync(config, JSON.stringify(configFor(PROGRAM_CASES)));
    const r = await lint(file, { config, offline: true });
    for (const c of failing) expect([c.id, r.violations.some((x) => x.policy === c.rule && x.subject === c.subject)]).toEqual([c.id, true]);
    expect(r.mandatory).toBeGreaterThanOrEqual(failing.length);
  });
});

describe("a record whose zone cannot be known is skipped with a note that names the setting", () => {
  test("a getZone id without the zones setting", async () => {
    const c = PROGRAM_CASES.find((x) => x.id === "cf-proxied") as ProgramCase;
    const v = await run([c], offline);
    expect(v.filter((x) => x.policy === "mail-host-not-proxied")).toEqual([]);
    const notes = v.filter((x) => x.level === "note").map((x) => x.message).join("\n");
    expect(notes).toMatch(/mail A \(a name relative to its zone, and the zone is not known: its zoneId "[0-9a-z]+" is not a Zone resource of this stack: set the pack's "zones" setting, e\.g\. \{ "maildns-settings": \{ "zones": \{ "[0-9a-z]+": "example\.com" \} \} \}\)/);
  });
  test("with the setting, the same program is judged", async () => {
    const c = PROGRAM_CASES.find((x) => x.id === "cf-proxied") as ProgramCase;
    expect((await run([c])).filter((x) => x.policy === "mail-host-not-proxied").map((x) => x.subject)).toEqual(["mail.c3.example.com A"]);
  });
});

describe("after a deploy (stack export): the zone from the state", () => {
  const exportDoc = (resources: unknown[]) => ({ version: 3, deployment: { manifest: {}, resources } });
  const urn = (t: string, n: string) => `urn:pulumi:dev::program::${t}::${n}`;
  test("a Zone resource whose id is the record's zoneId", async () => {
    const doc = exportDoc([
      { urn: urn("cloudflare:index/zone:Zone", "z"), type: "cloudflare:index/zone:Zone", id: "9a7806061c88ada191ed06f989cc3dac", inputs: { name: "s1.example.com" }, outputs: { name: "s1.example.com" } },
      { urn: urn("cloudflare:index/dnsRecord:DnsRecord", "mx"), type: "cloudflare:index/dnsRecord:DnsRecord", id: "r1", inputs: { zoneId: "9a7806061c88ada191ed06f989cc3dac", name: "@", type: "MX", content: "alias.s1.example.com", priority: 10, ttl: 1 } },
      { urn: urn("cloudflare:index/dnsRecord:DnsRecord", "alias"), type: "cloudflare:index/dnsRecord:DnsRecord", id: "r2", inputs: { zoneId: "9a7806061c88ada191ed06f989cc3dac", name: "alias", type: "CNAME", content: "mx.example.net", ttl: 1 } },
    ]);
    const v = await evaluate(resourcesFromJson(doc, "state.json"), offline);
    expect(v.filter((x) => x.policy === "mx-target-not-cname").map((x) => x.subject)).toEqual(["s1.example.com MX"]);
  });
  test("the full name the provider returned (Cloudflare name, Route 53 fqdn) when the zone is not in the stack", async () => {
    const doc = exportDoc([
      { urn: urn("cloudflare:index/dnsRecord:DnsRecord", "a"), type: "cloudflare:index/dnsRecord:DnsRecord", id: "r1", inputs: { zoneId: "elsewhere", name: "@", type: "TXT", content: "v=spf1 mx -all", ttl: 1 }, outputs: { name: "s2.example.com" } },
      { urn: urn("cloudflare:index/dnsRecord:DnsRecord", "b"), type: "cloudflare:index/dnsRecord:DnsRecord", id: "r2", inputs: { zoneId: "elsewhere", name: "@", type: "TXT", content: "v=spf1 a -all", ttl: 1 }, outputs: { name: "s2.example.com" } },
      { urn: urn("aws:route53/record:Record", "c"), type: "aws:route53/record:Record", id: "r3", inputs: { zoneId: "Z1", name: "", type: "TXT", records: ["v=DMARC1; p=reject"] }, outputs: { fqdn: "s3.example.com" } },
    ]);
    const v = await evaluate(resourcesFromJson(doc, "state.json"), offline);
    expect(v.filter((x) => x.policy === "spf-single-record").map((x) => x.subject)).toEqual(["s2.example.com SPF"]);
    expect(v.filter((x) => x.policy === "dmarc-near-miss").map((x) => x.subject)).toEqual(["s3.example.com TXT"]);
    expect(v.filter((x) => x.level === "note")).toEqual([]);
  });
});

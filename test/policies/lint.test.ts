import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint, resourcesOf } from "../../cli/lint";
import { MailDnsError } from "../../lib/errors";
import { UNKNOWN_SENTINEL } from "../../policies/resources";
import { CASES } from "./cases";
import { toResources } from "./providers";

const dir = mkdtempSync(join(tmpdir(), "maildns-lint-"));
const write = (name: string, data: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(data));
  return f;
};
const asExport = (rs: ReturnType<typeof toResources>) => ({ version: 3, deployment: { resources: rs.map((r) => ({ urn: r.urn, type: r.type, inputs: r.props })) } });
const asPreview = (rs: ReturnType<typeof toResources>) => ({ steps: rs.map((r) => ({ op: "create", urn: r.urn, newState: { urn: r.urn, type: r.type, inputs: r.props } })) });

describe("maildns lint", () => {
  test("reads stack exports and preview JSON alike", () => {
    const rs = toResources("route53", CASES["mx-target-not-cname"]!.fail);
    expect(resourcesOf(write("a.json", asExport(rs))).map((r) => r.urn)).toEqual(rs.map((r) => r.urn));
    expect(resourcesOf(write("b.json", asPreview(rs))).map((r) => r.props)).toEqual(rs.map((r) => r.props));
  });

  test("gives the pack's verdicts: mandatory violations counted", async () => {
    const bad = await lint(write("bad.json", asPreview(toResources("zonefile", CASES["mx-target-not-cname"]!.fail))), { offline: true });
    expect(bad.mandatory).toBeGreaterThan(0);
    expect(bad.violations.map((v) => v.policy)).toContain("mx-target-not-cname");
    const good = await lint(write("good.json", asExport(toResources("zonefile", CASES["mx-target-not-cname"]!.pass))), { offline: true });
    expect(good).toEqual({ violations: [], mandatory: 0 });
  });

  test("values unknown during preview are a note, not a violation", async () => {
    const rs = toResources("route53", CASES["dkim-key-size"]!.pass).map((r) => (r.props.name === "s1._domainkey.example.com" ? { ...r, props: { ...r.props, records: [UNKNOWN_SENTINEL] } } : r));
    const r = await lint(write("unknown.json", asPreview(rs)), { offline: true });
    expect(r.mandatory).toBe(0);
    expect(r.violations.map((v) => `${v.policy} ${v.level}`)).toEqual(["maildns-notes note"]);
  });

  test("policy config: enforcement levels and thresholds", async () => {
    const file = write("p-none.json", asExport(toResources("rfc2136", CASES["dmarc-policy-none"]!.fail)));
    const cfg = write("cfg.json", { "dmarc-policy-none": "mandatory" });
    expect((await lint(file, { offline: true, config: cfg })).mandatory).toBe(1);
    const off = write("cfg-off.json", { all: "disabled" });
    expect((await lint(file, { offline: true, config: off })).violations).toEqual([]);
  });

  test("DNS that cannot be reached is an advisory could-not-verify, never a mandatory violation or a hang", async () => {
    // An include outside the stack, and a DNS server on a loopback port where none listens.
    const recs = CASES["spf-include-resolves"]!.pass.map((r) => (r.name === "example.com" && r.type === "TXT" ? { ...r, values: ["v=spf1 include:_spf.example.org -all"] } : r));
    const file = write("unreachable.json", asExport(toResources("route53", recs)));
    const started = Date.now();
    const r = await lint(file, { dnsServer: ["127.0.0.1:9"] });
    expect(Date.now() - started).toBeLessThan(20000);
    expect(r.mandatory).toBe(0);
    expect(r.violations.map((v) => `${v.policy} ${v.level}`)).toEqual(["maildns-notes advisory", "maildns-notes advisory"]);
    expect(r.violations[0]?.message).toMatch(/could not verify/);
  });

  test("bad files are clear errors", async () => {
    await expect(lint(join(dir, "missing.json"), {})).rejects.toThrow(MailDnsError);
    await expect(lint(write("other.json", { hello: 1 }), {})).rejects.toThrow(/not a `pulumi preview --json` output/);
  });
});

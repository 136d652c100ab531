import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { e2eSuite, tempProject } from "../helpers/pulumi";

/**
 * `pulumi preview --policy-pack` with the real CLI: plain programs (not the
 * maildns components, which refuse such input themselves) declaring bad mail
 * DNS are rejected with the rule's message; the clean example passes; and
 * `maildns lint` gives the same verdicts on the same previews.
 */
const { describe: run, bin } = e2eSuite("the policy pack e2e test", haveBind());
const root = join(__dirname, "../..");
// The pack from its folder, as a Pulumi install runs it.
const PACK = join(root, "policies");
const cli = join(root, "dist/cli/index.js");

const program = (records: string) => `
const { zoneFile } = require(${JSON.stringify(join(root, "dist/components/index.js"))});
const zone = zoneFile({ name: "example.com" });
zone.createRecords(${records}, { namePrefix: "plain" });
`;

const MX_TO_CNAME = program(`[
  { name: "example.com", type: "MX", ttl: 300, values: ["10 alias.example.com."] },
  { name: "alias.example.com", type: "CNAME", ttl: 300, values: ["mx.example.com."] },
  { name: "mx.example.com", type: "A", ttl: 300, values: ["192.0.2.10"] },
]`);

const SPF_11 = program(`[
  { name: "example.com", type: "MX", ttl: 300, values: ["10 mx.example.com."] },
  { name: "mx.example.com", type: "A", ttl: 300, values: ["192.0.2.10"] },
  { name: "example.com", type: "TXT", ttl: 300, values: ["v=spf1 include:a.example.org include:b.example.org -all"] },
]`);

const CLEAN_STACK = `config:
  maildns:defaults:
    dns: { provider: zonefile }
    dkim: [{ selector: s2026 }]
  maildns:domains:
    - domain: example.com
      mailHosts: [{ name: mx1, ipv4: ["192.0.2.10"] }]
      dmarc: { p: reject, rua: ["dmarc@example.com"] }
`;

run("the policy pack under the real engine", () => {
  let dns: BindServer;
  let cfg: string;
  beforeAll(async () => {
    // a.example.org and b.example.org publish SPF records that need 9 more lookups between them.
    const zone = join(root, "test/fixtures/policy/example.org.zone");
    dns = await startBind([{ name: "example.org", file: zone }]);
    cfg = join(mkdtempSync(join(tmpdir(), "maildns-policy-")), "config.json");
    const dnsCfg = { dnsServers: [dns.address], timeoutMs: 2000 };
    writeFileSync(cfg, JSON.stringify({ "spf-lookup-limit": dnsCfg, "spf-void-lookup-limit": dnsCfg, "spf-include-resolves": dnsCfg, "spf-include-loop": dnsCfg, "spf-duplicate-include": dnsCfg, "spf-mx-ptr-name-limit": dnsCfg, "maildns-notes": dnsCfg }));
  }, 60000);
  afterAll(async () => dns?.stop());

  const preview = (programSrc: string | undefined) => {
    const p = tempProject(programSrc ? "config: {}\n" : CLEAN_STACK, bin, { program: programSrc });
    const withPack = p.run(["preview", "--policy-pack", PACK, "--policy-pack-config", cfg], { allowFail: true });
    const json = p.run(["preview", "--json"], { allowFail: true });
    writeFileSync(join(p.dir, "preview.json"), json.stdout);
    const lint = spawnSync(process.execPath, [cli, "lint", join(p.dir, "preview.json"), "--config", cfg, "--json"], { encoding: "utf8" });
    return { withPack, lint: { status: lint.status, report: JSON.parse(lint.stdout || "{}") as { violations: { policy: string; level: string }[]; mandatory: number } } };
  };

  test("an MX that targets a CNAME fails the preview with mx-target-not-cname", () => {
    const { withPack, lint } = preview(MX_TO_CNAME);
    expect(withPack.status).not.toBe(0);
    expect(withPack.stdout).toMatch(/\[mandatory\]\s+mx-target-not-cname/);
    expect(withPack.stdout).toMatch(/MX target alias\.example\.com is a CNAME/);
    expect(lint.status).toBe(1);
    expect(lint.report.violations.filter((v) => v.level === "mandatory").map((v) => v.policy)).toEqual(["mx-target-not-cname"]);
  });

  test("an SPF record that needs 11 lookups through includes served by DNS fails with spf-lookup-limit", () => {
    const { withPack, lint } = preview(SPF_11);
    expect(withPack.status).not.toBe(0);
    expect(withPack.stdout).toMatch(/\[mandatory\]\s+spf-lookup-limit/);
    expect(withPack.stdout).toMatch(/needs 11 DNS lookups/);
    expect(lint.report.violations.filter((v) => v.level === "mandatory").map((v) => v.policy)).toEqual(["spf-lookup-limit"]);
  });

  test("a deployed stack whose records do not change is still checked: record sets come from the inputs, the outputs keep digests", () => {
    const p = tempProject("config: {}\n", bin, { program: MX_TO_CNAME });
    p.run(["up", "--yes", "--skip-preview"]);
    const state = JSON.parse(p.run(["stack", "export"]).stdout) as { deployment: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    const zone = state.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/maildns:ZoneFile");
    expect(Object.keys((zone?.inputs?.rrsets ?? {}) as object).sort()).toEqual(["@ MX", "alias CNAME", "mx A"]);
    expect(zone?.outputs?.rrsets).toBeUndefined();
    expect(Object.keys((zone?.outputs?.digests ?? {}) as object).sort()).toEqual(["@ MX", "alias CNAME", "mx A"]);
    expect(p.run(["preview", "--expect-no-changes"], { allowFail: true }).status).toBe(0);
    const withPack = p.run(["preview", "--policy-pack", PACK, "--policy-pack-config", cfg], { allowFail: true });
    expect(withPack.status).not.toBe(0);
    expect(withPack.stdout).toMatch(/\[mandatory\]\s+mx-target-not-cname/);
    expect(withPack.stdout).toMatch(/MX target alias\.example\.com is a CNAME/);
  });

  test("the clean example passes with no violations (the DKIM key unknown during preview is a note)", () => {
    const { withPack, lint } = preview(undefined);
    expect(withPack.status).toBe(0);
    expect(withPack.stdout).not.toMatch(/\[(mandatory|advisory)\]/);
    expect(lint.status).toBe(0);
    expect(lint.report.violations.filter((v) => v.level !== "note")).toEqual([]);
  });
});

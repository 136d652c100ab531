import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { verify } from "../../cli/verify";

/**
 * `maildns verify` on the wire: a BIND on loopback serves one good domain
 * and one broken configuration per subdomain; each must be reported with the
 * right rule id (test/fixtures/verify).
 */
const run = haveBind() ? describe : describe.skip;
if (!haveBind()) console.warn("skipping the verify integration tests: BIND (named) is not installed");
const fixtures = join(__dirname, "../fixtures/verify");

const broken: [string, string, string[]][] = [
  ["cname.example.com", "mx-target-not-cname", []],
  ["noaddr.example.com", "mx-target-has-address", []],
  ["literal.example.com", "mx-not-ip-literal", []],
  ["nullmx.example.com", "null-mx-alone", []],
  ["twospf.example.com", "spf-single-record", []],
  ["plusall.example.com", "spf-no-plus-all", []],
  ["badspf.example.com", "spf-syntax", []],
  ["lookups.example.com", "spf-lookup-limit", []],
  ["voids.example.com", "spf-void-lookup-limit", []],
  ["noinc.example.com", "spf-include-resolves", []],
  ["dmarcsyntax.example.com", "dmarc-syntax", []],
  ["twodmarc.example.com", "dmarc-single-record", []],
  ["dmarcext.example.com", "dmarc-external-destination", []],
  ["weakdkim.example.com", "dkim-key-size", ["s1"]],
  ["baddkim.example.com", "dkim-record-syntax", ["s1"]],
  ["badptr.example.com", "ptr-forward-confirmed", []],
];

run("maildns verify against live DNS", () => {
  let bind: BindServer;
  beforeAll(async () => {
    bind = await startBind(["example.com", "example.net", "2.0.192.in-addr.arpa"].map((name) => ({ name, file: join(fixtures, `${name}.zone`) })));
  }, 30000);
  afterAll(async () => bind?.stop());

  test("the good domain passes every rule", async () => {
    const r = await verify("good.example.com", { server: bind.address });
    expect(r.findings).toEqual([]);
    expect(r.passed.length).toBeGreaterThanOrEqual(28);
  });

  test.each(broken)("%s: %s", async (domain, ruleId, selector) => {
    const r = await verify(domain, { server: bind.address, selector });
    expect(r.findings.filter((f) => f.severity === "error").map((f) => f.ruleId)).toContain(ruleId);
    expect(r.passed).not.toContain(ruleId);
  });

  test(`${broken.length} different broken configurations, each a different rule`, () => {
    expect(new Set(broken.map((b) => b[1])).size).toBe(broken.length);
    expect(broken.length).toBeGreaterThanOrEqual(10);
  });

  test("p=none is a warning, exit code 0; an error exits 1; human and JSON output", () => {
    const cli = join(__dirname, "../../dist/cli/index.js");
    const none = spawnSync(process.execPath, [cli, "verify", "dmarcnone.example.com", "--server", bind.address], { encoding: "utf8" });
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/^warn\s+dmarc-policy-none\s+_dmarc\.dmarcnone\.example\.com TXT/m);
    const bad = spawnSync(process.execPath, [cli, "verify", "plusall.example.com", "--server", bind.address], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^fail\s+spf-no-plus-all\s+plusall\.example\.com SPF/m);
    expect(bad.stdout).toMatch(/^pass\s+mx-target-not-cname\s+plusall\.example\.com$/m);
    const json = JSON.parse(execFileSync(process.execPath, [cli, "verify", "good.example.com", "--server", bind.address, "--json"], { encoding: "utf8" }));
    expect(json).toMatchObject({ domain: "good.example.com", errors: 0, warnings: 0 });
  });

  test("a report destination the server cannot answer for is a could-not-verify warning, not an error", async () => {
    const r = await verify("dmarcelsewhere.example.com", { server: bind.address });
    expect(r.findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["dmarc-external-destination warning"]);
  });

  test("an unreachable server is a clear error (exit 2), not a hang", () => {
    const cli = join(__dirname, "../../dist/cli/index.js");
    const r = spawnSync(process.execPath, [cli, "verify", "good.example.com", "--server", "127.0.0.1:9", "--timeout", "300"], { encoding: "utf8", timeout: 20000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9 did not answer MX good\.example\.com/);
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { corpus, corpusPolicies, writeCorpusZones } from "../fixtures/verify-corpus";
import { PolicyServer, startPolicyServer } from "../helpers/https";
import { verify, verifyAll } from "../../cli/verify";
import { rules } from "../../lib/rules";

/**
 * `maildns verify` on the wire: a BIND on loopback serves the corpus
 * (test/fixtures/verify-corpus.ts) — correct mail domains and one for each
 * class of mistake — and verify must give exactly the expected findings.
 */
const run = haveBind() ? describe : describe.skip;
if (!haveBind()) console.warn("skipping the verify integration tests: BIND (named) is not installed");
const cli = join(__dirname, "../../dist/cli/index.js");
const findings = (r: { findings: { ruleId: string; severity: string; subject: string }[] }) => r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.subject}`).sort();

run("maildns verify against live DNS", () => {
  let bind: BindServer;
  let https: PolicyServer;
  let caFile: string;
  beforeAll(async () => {
    bind = await startBind(writeCorpusZones(mkdtempSync(join(tmpdir(), "maildns-corpus-"))));
    https = await startPolicyServer(corpusPolicies());
    caFile = join(mkdtempSync(join(tmpdir(), "maildns-ca-")), "ca.pem");
    writeFileSync(caFile, https.caPem);
  }, 60000);
  afterAll(async () => {
    await bind?.stop();
    await https?.stop();
  });

  test("the corpus has at least 40 domains, correct ones and every class of mistake", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((c) => c.expect.length === 0).length).toBeGreaterThanOrEqual(8);
    expect(new Set(corpus.map((c) => c.domain)).size).toBe(corpus.length);
    // Every rule that live DNS can break is broken by some domain of the corpus.
    const broken = new Set(corpus.flatMap((c) => c.expect.map((e) => e.split(" ")[0])));
    const notLive = ["declared-records-live", "mail-host-not-proxied", "name-syntax", "txt-string-length", "duplicate-record", "cname-coexistence", "spf-record-size", "spf-mx-ptr-name-limit", "spf-duplicate-include"];
    expect(rules.map((r) => r.id).filter((id) => !broken.has(id) && !notLive.includes(id))).toEqual([]);
  });

  test.each(corpus.map((c) => [c.domain, c.why, c] as const))("%s (%s)", async (_d, _why, c) => {
    const tlsaCert = c.tlsaCert ? [join(mkdtempSync(join(tmpdir(), "maildns-cert-")), "cert.pem")] : undefined;
    if (tlsaCert && c.tlsaCert) writeFileSync(tlsaCert[0] as string, c.tlsaCert);
    const r = await verify(c.domain, { server: bind.address, selector: c.selectors, dnsbl: c.dnsbl, timeout: "2000", caFile, httpsPort: String(https.port), tlsaCert });
    expect(findings(r)).toEqual([...c.expect].sort());
    // Every finding says what receivers do about it.
    for (const f of r.findings) expect(f.consequence ?? "").not.toBe("");
  });

  test("every domain at once from one process: same findings, each DNS question asked once", async () => {
    const all = await verifyAll(corpus.map((c) => c.domain), { server: bind.address, concurrency: "16", selector: ["s1"], caFile, httpsPort: String(https.port) });
    const perDomain = Object.fromEntries(corpus.map((c, i) => [c.domain, findings(all.reports[i] as never)]));
    for (const c of corpus.filter((x) => !x.dnsbl && !x.selectors && !x.tlsaCert)) expect([c.domain, perDomain[c.domain]]).toEqual([c.domain, [...c.expect].sort()]);
    const one = await verifyAll([corpus[0]!.domain, corpus[0]!.domain], { server: bind.address });
    const single = await verifyAll([corpus[0]!.domain], { server: bind.address });
    expect(one.questions).toBe(single.questions);
    expect(all.reports).toHaveLength(corpus.length);
  });

  test("CLI: exit 0 for a clean domain, 0 with only warnings, 1 with an error; findings with their consequence; one JSON document", () => {
    const good = spawnSync(process.execPath, [cli, "verify", "good.corpus.example", "--server", bind.address], { encoding: "utf8" });
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^pass\s+mx-present\s+good\.corpus\.example$/m);
    const none = spawnSync(process.execPath, [cli, "verify", "pnone.corpus.example", "--server", bind.address], { encoding: "utf8" });
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/^warn\s+dmarc-policy-none\s+_dmarc\.pnone\.corpus\.example TXT/m);
    const bad = spawnSync(process.execPath, [cli, "verify", "nospf.corpus.example", "--server", bind.address], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^fail\s+spf-present\s+nospf\.corpus\.example SPF: .*\n\s+Receivers get SPF none/m);
    const both = spawnSync(process.execPath, [cli, "verify", "good.corpus.example", "typo.corpus.example", "--server", bind.address, "--json"], { encoding: "utf8" });
    expect(both.status).toBe(1);
    const json = JSON.parse(both.stdout);
    expect(json).toMatchObject({ errors: 1, warnings: 0, unverified: 0, reports: [{ domain: "good.corpus.example", errors: 0 }, { domain: "typo.corpus.example", errors: 1 }] });
    expect(json.questions).toBeGreaterThan(10);
  });

  test("CLI: a DNS failure on one name is 'could not verify' for that check; the rest still runs", () => {
    const r = spawnSync(process.execPath, [cli, "verify", "servfail.corpus.example", "--server", bind.address], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^skip\s+dns-answers\s+mx\.broken\.example A: could not verify: mx\.broken\.example A: SERVFAIL from 127\.0\.0\.1:/m);
    expect(r.stdout).toMatch(/^pass\s+spf-present\s+servfail\.corpus\.example$/m);
    // Four questions failed; the five rules that needed them are "could not verify", not "pass".
    expect(r.stdout).toMatch(/^skip\s+mx-target-has-address\s+mx\.broken\.example: could not verify: it needs mx\.broken\.example CNAME, mx\.broken\.example A, mx\.broken\.example AAAA \(SERVFAIL from 127\.0\.0\.1:\d+\), which DNS did not answer/m);
    expect(r.stdout).not.toMatch(/^pass\s+(mx-target-has-address|mx-target-not-cname|ptr-present|ptr-forward-confirmed|mail-host-public-address)\s/m);
    expect(r.stdout).toMatch(/0 error\(s\), 0 warning\(s\), 9 not verified/);
  });

  test("CLI: --stack-outputs verifies every declared domain in one run", () => {
    const dir = mkdtempSync(join(tmpdir(), "maildns-verify-"));
    const out = join(dir, "out.json");
    writeFileSync(out, JSON.stringify({ domains: {
      "good.corpus.example": { records: [{ name: "good.corpus.example", type: "MX", values: ["10 mx1.corpus.example."] }] },
      "nospf.corpus.example": { records: [{ name: "nospf.corpus.example", type: "MX", values: ["10 mx1.corpus.example."] }] },
    } }));
    const r = spawnSync(process.execPath, [cli, "verify", "--stack-outputs", out, "--server", bind.address, "--json"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.reports.map((x: { domain: string }) => x.domain)).toEqual(["good.corpus.example", "nospf.corpus.example"]);
    expect(doc.reports[0].passed).toContain("declared-records-live");
  });

  test("CLI: an unreachable server is exit 2 'nothing could be checked', not a hang", () => {
    const r = spawnSync(process.execPath, [cli, "verify", "good.corpus.example", "--server", "127.0.0.1:9", "--timeout", "300"], { encoding: "utf8", timeout: 20000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^maildns: .*nothing could be checked: 127\.0\.0\.1:9 answered no question about good\.corpus\.example/m);
  });
});

describe("the verify benchmark (small size)", () => {
  const bench = join(__dirname, "../../dist/bench/verify-live.js");
  (haveBind() ? test : test.skip)("50 domains: no errors, and BIND received exactly one query per distinct question", () => {
    const r = spawnSync(process.execPath, [bench, "50", "1", "8"], { encoding: "utf8", timeout: 60000 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    const { summary } = JSON.parse(r.stdout.trim().split("\n").pop() as string);
    expect(summary).toMatchObject({ domains: 50, errors: 0 });
    expect(summary.queries).toBe(summary.questions);
    expect(summary.questions).toBeGreaterThan(50 * 5);
  }, 90000);
});

describe("maildns verify: bad arguments are exit 2 with the argument named, before any query", () => {
  const cases: [string[], RegExp][] = [
    [["verify", "exa mple.com"], /^maildns: domain = "exa mple\.com": not a valid domain name/],
    [["verify", "192.0.2.1"], /^maildns: domain = "192\.0\.2\.1": an IP address is not a mail domain/],
    [["verify", "[2001:db8::1]"], /^maildns: domain = "\[2001:db8::1\]": an IP address is not a mail domain/],
    [["verify", ""], /^maildns: domain = "": a domain is empty/],
    [["verify", "localhost"], /^maildns: domain = "localhost": a mail domain has at least two labels/],
    [["verify"], /^maildns: domains: name at least one domain, or --stack-outputs FILE/],
    [["verify", "example.com", "--timeout", "abc"], /^maildns: --timeout = "abc": --timeout is a number of milliseconds/],
    [["verify", "example.com", "--timeout", "0"], /^maildns: --timeout = "0": /],
    [["verify", "example.com", "--selector", "bad selector"], /^maildns: --selector = "bad selector": not a valid selector/],
    [["verify", "example.com", "--dnsbl", "bl..example"], /^maildns: --dnsbl = "bl\.\.example": not a valid domain name/],
    [["verify", "example.com", "--disable", "no-such-rule"], /^maildns: --disable = "no-such-rule": unknown rule id/],
    [["verify", "example.com", "--concurrency", "-1"], /^maildns: --concurrency = "-1": /],
    [["verify", "example.com", "--expect", "/nonexistent/out.json"], /^maildns: --expect = "\/nonexistent\/out\.json": cannot read stack outputs/],
  ];
  test.each(cases)("%j", async (args, message) => {
    const { createSocket } = await import("node:dgram");
    const sock = createSocket("udp4");
    let packets = 0;
    sock.on("message", () => packets++);
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
    const server = `127.0.0.1:${sock.address().port}`;
    const r = spawnSync(process.execPath, [cli, ...args, "--server", server], { encoding: "utf8", timeout: 20000 });
    sock.close();
    expect(r.stderr.trim()).toMatch(message);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(packets).toBe(0);
  });
  test("--version", () => {
    const r = spawnSync(process.execPath, [cli, "--version"], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")).version);
  });
});

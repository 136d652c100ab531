import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { haveBind } from "../helpers/bind";
import { e2eSuite } from "../helpers/pulumi";

/**
 * The README's `sh` blocks, run verbatim, in order, in one shell, in a fresh
 * copy of the checkout (its tracked files only: no node_modules, no dist, no
 * state). A block is left out only when the line before it says
 * `<!-- readme-test: skip (reason) -->`. The Pulumi CLI is on PATH, as for a
 * user who installed it.
 */
const { describe: run, bin } = e2eSuite("the README e2e test", haveBind());
const root = join(__dirname, "../..");

export function readmeBlocks(text: string): { code: string; skip?: string }[] {
  const out: { code: string; skip?: string }[] = [];
  const re = /(?:<!-- readme-test: skip \(([^)]*)\) -->\n)?```sh\n([\s\S]*?)```/g;
  for (const m of text.matchAll(re)) out.push({ code: m[2] as string, skip: m[1] });
  return out;
}

run("the README, verbatim, on a fresh copy", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const blocks = readmeBlocks(readme);

  test("every sh block runs, except the ones marked with a reason", () => {
    expect(blocks.filter((b) => b.skip).map((b) => b.code.trim().split("\n")[0])).toEqual([
      expect.stringMatching(/^npm install maildns/),
      expect.stringMatching(/^bash scripts\/test-all\.sh/),
      expect.stringMatching(/^maildns fleet up --domains-file domains\.yaml/),
      expect.stringMatching(/^maildns dkim-keys --format opendkim/),
      expect.stringMatching(/^pulumi preview --json --show-sames > preview\.json/),
      expect.stringMatching(/^npm run bench/),
    ]);
    expect(blocks.filter((b) => !b.skip).length).toBeGreaterThanOrEqual(3);
  });

  test("quick start, check what was deployed, policy pack; a second quick start takes the fast path", () => {
    const clone = mkdtempSync(join(tmpdir(), "maildns-readme-"));
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter((f) => f && existsSync(join(root, f)));
    for (const f of files) {
      mkdirSync(dirname(join(clone, f)), { recursive: true });
      cpSync(join(root, f), join(clone, f));
    }
    const script = ["set -euo pipefail", ...blocks.filter((b) => !b.skip).map((b) => b.code), "bash scripts/quickstart.sh"].join("\n");
    // A user's shell: the Pulumi CLI on PATH, none of the test helpers' Pulumi settings.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    for (const k of ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_HOME", "MAILDNS_PULUMI_BIN"]) delete env[k];
    const r = spawnSync("bash", ["-c", script], {
      cwd: clone,
      env,
      encoding: "utf8",
      timeout: 900_000,
      maxBuffer: 1 << 26,
    });
    const out = r.stdout + r.stderr;
    if (process.env.MAILDNS_PRINT_README_OUTPUT) console.log(out);
    spawnSync("bash", ["scripts/serve-zones.sh", "stop"], { cwd: clone });
    if (r.status !== 0) throw new Error(`README commands failed (${r.status}):\n${out.slice(-6000)}`);
    for (const z of ["example.com", "example.net", "2.0.192.in-addr.arpa", "8.b.d.0.1.0.0.2.ip6.arpa"]) expect(existsSync(join(clone, "zonefiles", `${z}.zone`))).toBe(true);
    // The local stack's file backend keeps no .attrs beside its state (metadata=skip in scripts/pulumi-env.sh).
    const stackFile = join(clone, ".pulumi-state/.pulumi/stacks/maildns/local.json");
    expect(existsSync(stackFile)).toBe(true);
    expect(existsSync(`${stackFile}.attrs`)).toBe(false);
    expect(out).toContain("maildns verify example.com (server 127.0.0.1:5353)");
    expect(out).toContain("maildns verify example.net (server 127.0.0.1:5353)");
    expect(out.match(/^0 error\(s\), \d+ warning\(s\), \d+ not verified, \d+ rule\(s\) passed$/gm)).toHaveLength(2);
    // example.net's mail host lies in 198.51.100.0/24, whose reverse zone the local stack does not serve: that PTR
    // is not verified, nor are the two rules that need it (they are not listed as passed).
    expect(out.match(/^skip .*/gm)).toEqual([
      expect.stringMatching(/^skip\s+ptr-forward-confirmed\s+25\.100\.51\.198\.in-addr\.arpa: could not verify: it needs 25\.100\.51\.198\.in-addr\.arpa PTR \(REFUSED from 127\.0\.0\.1:5353\), which DNS did not answer/),
      expect.stringMatching(/^skip\s+ptr-present\s+25\.100\.51\.198\.in-addr\.arpa: could not verify: it needs 25\.100\.51\.198\.in-addr\.arpa PTR \(REFUSED from 127\.0\.0\.1:5353\), which DNS did not answer/),
      expect.stringMatching(/^skip\s+dns-answers\s+25\.100\.51\.198\.in-addr\.arpa PTR: could not verify: .*REFUSED from 127\.0\.0\.1:5353/),
    ]);
    expect(out).not.toMatch(/^pass\s+ptr-present\s+example\.net$/m);
    expect(out).toMatch(/^pass\s+ptr-present\s+example\.com$/m);
    expect(out).toMatch(/pass\s+declared-records-live\s+example\.com/);
    expect(out).toContain("0 mandatory violation(s)");
    // The second quick start: no npm ci, no build.
    const second = out.slice(out.lastIndexOf("node_modules is up to date"));
    expect(second).toContain("dist is up to date");
    // Another passphrase in the user's environment: the quick start says which one the local stack uses.
    const other = spawnSync("bash", ["scripts/quickstart.sh"], { cwd: clone, env: { ...env, PULUMI_CONFIG_PASSPHRASE: "not-the-local-one" }, encoding: "utf8", timeout: 300_000 });
    expect(other.status).not.toBe(0);
    expect(other.stderr).toMatch(/incorrect passphrase/);
    expect(other.stderr).toContain('quickstart: if the error above is "incorrect passphrase": the local stack\'s secrets use the passphrase maildns-local (the encryptionsalt of Pulumi.local.yaml as shipped), and PULUMI_CONFIG_PASSPHRASE in your environment is another one');
  });
});

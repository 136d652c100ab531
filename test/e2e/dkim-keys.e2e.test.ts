import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { publicKeyFromPrivatePem } from "../../lib/dkim";
import { e2eSuite, pulumiEnv, tempProject, TempProject } from "../helpers/pulumi";

/**
 * `maildns dkim-keys` on a real stack: the keys `pulumi up` generated, written
 * for OpenDKIM, match the published records; a retired selector keeps its key
 * (the same one) until it is removed from the config.
 */
const { describe: run, bin } = e2eSuite("the dkim-keys e2e test", true);
const cli = join(__dirname, "../../dist/cli/index.js");

const stack = (dkim: string) => `config:
  maildns:defaults:
    dns:
      provider: zonefile
      directory: zonefiles
    dkim:
${dkim}
  maildns:domains:
    - domain: example.com
      mailHosts:
        - name: mx1
          ipv4: ["192.0.2.10"]
`;

run("maildns dkim-keys with the real engine", () => {
  let p: TempProject;
  const keys = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, "dkim-keys", ...args], { cwd: p.dir, env: pulumiEnv(p.dir, bin), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`dkim-keys failed (${r.status}): ${r.stderr}`);
    return r;
  };
  const setStack = (dkim: string) => p.setStackFile(stack(dkim));
  const published = () => {
    const out = JSON.parse(p.run(["stack", "output", "--json"]).stdout) as { domains: Record<string, { dkim: { selector: string; value: string }[]; dkimKeys: unknown }> };
    return out.domains["example.com"];
  };

  beforeAll(() => {
    p = tempProject(stack("      - selector: s2026"), bin);
    p.run(["up", "--yes", "--skip-preview"]);
  }, 120000);

  test("the key written for OpenDKIM is the one published at s2026; keys are 0600 and never on stdout", () => {
    const r = keys(["--format", "opendkim", "--out", "signer"]);
    expect(r.stdout).toBe("");
    expect(r.stdout + r.stderr).not.toMatch(/PRIVATE KEY/);
    const key = join(p.dir, "signer/keys/example.com/s2026.private");
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const record = published()?.dkim.find((d) => d.selector === "s2026")?.value ?? "";
    expect(record).toContain(`p=${publicKeyFromPrivatePem(readFileSync(key, "utf8"))}`);
    expect(readFileSync(join(p.dir, "signer/SigningTable"), "utf8")).toBe("*@example.com s2026._domainkey.example.com\n");
    // The outputs show the keys only as a secret.
    expect(published()?.dkimKeys).toBe("[secret]");
  });

  test("rotation: s2026 retired beside a new s2027 keeps its key; the signer switches to s2027", () => {
    const before = readFileSync(join(p.dir, "signer/keys/example.com/s2026.private"), "utf8");
    setStack("      - selector: s2026\n        retired: true\n      - selector: s2027");
    p.run(["up", "--yes", "--skip-preview"]);
    expect(published()?.dkim.find((d) => d.selector === "s2026")?.value).toBe("v=DKIM1; k=rsa; p=");
    keys(["--format", "opendkim", "--out", "signer"]);
    expect(readFileSync(join(p.dir, "signer/keys/example.com/s2026.private"), "utf8")).toBe(before);
    expect(readFileSync(join(p.dir, "signer/SigningTable"), "utf8")).toBe("*@example.com s2027._domainkey.example.com\n");
  });

  test("rolling back (s2026 live again) publishes the same key; removing it later deletes it", () => {
    const before = readFileSync(join(p.dir, "signer/keys/example.com/s2026.private"), "utf8");
    setStack("      - selector: s2026");
    p.run(["up", "--yes", "--skip-preview"]);
    expect(published()?.dkim.find((d) => d.selector === "s2026")?.value).toContain(`p=${publicKeyFromPrivatePem(before)}`);
    setStack("      - selector: s2027");
    p.run(["up", "--yes", "--skip-preview"]);
    const r = keys(["--stdout"]);
    expect(r.stdout).not.toContain(before);
    expect(r.stdout).toContain("# s2027._domainkey.example.com\n-----BEGIN PRIVATE KEY-----");
  });
});

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";
import { rsaStoredPrivateKey } from "../../components/dkim-key-material";
import { haveBind, startBind } from "../helpers/bind";
import { e2eSuite, tempProject, TempProject } from "../helpers/pulumi";

/**
 * The embedded default for real: `pulumi up` with the zone-file backend on a
 * local file backend, BIND serving the result, `maildns verify` against it.
 */
const { describe: run, bin } = e2eSuite("the zone-file e2e test", haveBind());

const ZONES = ["example.com", "example.net", "2.0.192.in-addr.arpa"];
const STACK = `config:
  maildns:defaults:
    dns:
      provider: zonefile
      directory: zonefiles
    reverseZones:
      - name: 2.0.192.in-addr.arpa
    dkim:
      - selector: s2026
  maildns:domains:
    - domain: example.com
      mailHosts:
        - name: mx1
          ipv4: ["192.0.2.10"]
          ptr: true
        - name: mx2
          ipv4: ["192.0.2.11"]
          ptr: true
      spf:
        include: ["example.net"]
      dmarc:
        p: reject
        rua: ["dmarc@example.com", "dmarc@example.net"]
      extraTxt: ["site-verification=e2e"]
    - domain: example.net
      mailHosts:
        - name: mail
          ipv4: ["198.51.100.25"]
`;

run("real pulumi up on the zone-file backend", () => {
  let p: TempProject;
  beforeAll(() => {
    p = tempProject(STACK, bin);
  });

  const outputs = () => JSON.parse(p.run(["stack", "output", "--json"]).stdout) as { domains: Record<string, { dkim: { selector: string; value: string }[] }> };

  test("pulumi up writes zone files that named-checkzone accepts", () => {
    p.run(["up", "--yes", "--skip-preview"]);
    for (const z of ZONES) {
      const file = join(p.dir, "zonefiles", `${z}.zone`);
      expect(existsSync(file)).toBe(true);
      expect(() => execFileSync("named-checkzone", ["-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", z, file], { stdio: "pipe" })).not.toThrow();
    }
  });

  test("the records resolve from BIND and maildns verify passes with --expect", async () => {
    const server = await startBind(ZONES.map((name) => ({ name, file: join(p.dir, "zonefiles", `${name}.zone`) })));
    try {
      writeFileSync(join(p.dir, "out.json"), p.run(["stack", "output", "--json"]).stdout);
      const dig = execFileSync("dig", ["+short", "-p", String(server.port), "@127.0.0.1", "MX", "example.com"], { encoding: "utf8" });
      expect(dig.trim().split("\n").sort()).toEqual(["10 mx1.example.com.", "20 mx2.example.com."]);
      const cli = join(__dirname, "../../dist/cli/index.js");
      const out = execFileSync(process.execPath, [cli, "verify", "example.com", "--server", server.address, "--expect", join(p.dir, "out.json"), "--json"], { encoding: "utf8" });
      const run = JSON.parse(out) as { errors: number; reports: { errors: number; warnings: number; passed: string[] }[] };
      const report = { errors: run.errors, passed: run.reports[0]?.passed ?? [] };
      expect(report.errors).toBe(0);
      expect(report.passed).toContain("declared-records-live");
      expect(report.passed).toContain("ptr-forward-confirmed");
    } finally {
      await server.stop();
    }
  });

  test("after a refresh (which reads the files back) an update finds nothing to change", () => {
    p.run(["refresh", "--yes", "--skip-preview"]);
    expect(p.run(["preview", "--expect-no-changes"]).status).toBe(0);
  });

  test("a second pulumi up changes nothing and keeps the DKIM key", () => {
    const before = outputs().domains["example.com"]?.dkim[0]?.value;
    const serial = readFileSync(join(p.dir, "zonefiles", "example.com.zone"), "utf8").match(/SOA\s+\S+\s+\S+\s+(\d+)/)?.[1];
    const preview = p.run(["preview", "--expect-no-changes", "--diff"]);
    expect(preview.status).toBe(0);
    const up = p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
    expect(up.stdout).not.toMatch(/\b(created|updated|replaced|deleted)\b/);
    expect(outputs().domains["example.com"]?.dkim[0]?.value).toBe(before);
    expect(before).toMatch(/^v=DKIM1; k=rsa; p=MII/);
    expect(readFileSync(join(p.dir, "zonefiles", "example.com.zone"), "utf8").match(/SOA\s+\S+\s+\S+\s+(\d+)/)?.[1]).toBe(serial);
  });

  test("no private key in plaintext in the state", () => {
    const state = p.run(["stack", "export"]).stdout;
    // The zone resource holds its domain's keys: no key resource beside it.
    expect(state).not.toContain("DkimKeyPair");
    expect(state).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    // The stored form (the prime p) is a secret too: encrypted, and nowhere in plaintext.
    expect(state).toMatch(/"privateKeys":\s*\{\s*"4dabf18193072939515e22adb298388d"/);
    const keys = JSON.parse(p.run(["stack", "output", "--json", "--show-secrets"]).stdout) as { domains: Record<string, { dkimKeys: Record<string, string> }> };
    const primes = Object.values(keys.domains).flatMap((d) => Object.values(d.dkimKeys)).map((pem) => rsaStoredPrivateKey(forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey));
    expect(primes.length).toBeGreaterThan(0);
    const raw = readFileSync(join(p.dir, ".state/.pulumi/stacks/maildns/e2e.json"), "utf8") + state;
    for (const stored of primes) {
      const prime = stored.slice("rsa-p:".length);
      expect(raw).not.toContain(prime);
      expect(raw).not.toContain(Buffer.from(prime, "base64").toString("hex"));
    }
    const preview = p.run(["preview", "--diff"]).stdout;
    const shown = p.run(["stack", "output", "--json"]).stdout + preview;
    expect(shown).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    // Nothing to change shows nothing changing, the stack outputs included (the keys among them are known during a preview).
    expect(preview).not.toMatch(/^\s*[~+-] domains/m);
    expect(preview).not.toMatch(/^Outputs:/m);
  });

  test("the stack program's resources keep no stack trace in the state: they are declared by the config, not by code", () => {
    // The SDK records each resource's stack trace; maildns keeps only the program's own frames, and
    // every frame of the stack program is maildns's (a library program keeps its own: install.e2e).
    const { deployment } = JSON.parse(p.run(["stack", "export"]).stdout) as { deployment: { resources: { type: string; sourcePosition?: string; stackTrace?: unknown[] }[] } };
    const ours = deployment.resources.filter((r) => /^pulumi-nodejs:dynamic\/maildns:/.test(r.type));
    expect(ours.map((r) => r.type)).toEqual(expect.arrayContaining(["pulumi-nodejs:dynamic/maildns:ZoneFile"]));
    for (const r of ours) {
      expect(r.sourcePosition).toBeUndefined();
      expect(r.stackTrace ?? []).toEqual([]);
    }
  });

  test("a zone file edited by hand stops the preview of a change, before any zone of the stack is written", () => {
    const net = join(p.dir, "zonefiles", "example.net.zone");
    const com = join(p.dir, "zonefiles", "example.com.zone");
    const [netBefore, comBefore] = [readFileSync(net, "utf8"), readFileSync(com, "utf8")];
    writeFileSync(net, `${netBefore}www\t300\tIN\tA\t198.51.100.80\n`);
    // Both domains change: example.com's DMARC policy, example.net's mail host address.
    p.setStackFile(STACK.replace("        p: reject", "        p: quarantine").replace('["198.51.100.25"]', '["198.51.100.26"]'));
    const preview = p.run(["preview"], { allowFail: true });
    expect(preview.status).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/zonefiles\/example\.net\.zone was edited by hand since maildns wrote it; refusing to overwrite the edits/);
    const up = p.run(["up", "--yes"], { allowFail: true });
    expect(up.status).not.toBe(0);
    expect(readFileSync(com, "utf8")).toBe(comBefore);
    expect(readFileSync(net, "utf8")).toBe(`${netBefore}www\t300\tIN\tA\t198.51.100.80\n`);
    // The edit undone and the config as before: nothing to change.
    writeFileSync(net, netBefore);
    p.setStackFile(STACK);
    expect(p.run(["preview", "--expect-no-changes"]).status).toBe(0);
  });

  test("pulumi destroy removes every zone file", () => {
    p.run(["destroy", "--yes", "--skip-preview"]);
    for (const z of ZONES) expect(existsSync(join(p.dir, "zonefiles", `${z}.zone`))).toBe(false);
  });
});

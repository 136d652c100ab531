import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { e2eSuite, pulumiEnv, tempProject, TempProject } from "../helpers/pulumi";
import { queryRrset } from "../../zones/dnsupdate";

/** `pulumi up` that changes a live BIND through TSIG-signed dynamic updates. */
const { describe: run, bin } = e2eSuite("the RFC 2136 e2e test", haveBind());

const ZONES = ["example.com", "example.net", "2.0.192.in-addr.arpa"];

run("real pulumi up on the rfc2136 backend", () => {
  let server: BindServer;
  let p: TempProject;
  const cli = join(__dirname, "../../dist/cli/index.js");

  beforeAll(async () => {
    server = await startBind(ZONES.map((name) => ({ name, dynamic: true })));
    p = tempProject(`config:
  maildns:defaults:
    dns:
      provider: rfc2136
      server: "${server.address}"
      keyName: ${server.key.name}
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
      spf:
        include: ["example.net"]
      dmarc:
        p: reject
        rua: ["dmarc@example.net"]
    - domain: example.net
      mailHosts:
        - name: mail
          ipv4: ["198.51.100.25"]
`, bin);
    p.run(["config", "set", "--secret", "maildns:tsigSecret", server.key.secret]);
  }, 60000);
  afterAll(async () => server?.stop());

  const verifyReport = () => {
    writeFileSync(join(p.dir, "out.json"), p.run(["stack", "output", "--json"]).stdout);
    const out = execFileSync(process.execPath, [cli, "verify", "example.com", "--server", server.address, "--expect", join(p.dir, "out.json"), "--json"], { encoding: "utf8" });
    const run = JSON.parse(out) as { errors: number; reports: { errors: number; passed: string[] }[] };
    return { errors: run.errors, passed: run.reports[0]?.passed ?? [] };
  };

  test("pulumi up writes every record to the server; maildns verify passes", async () => {
    p.run(["up", "--yes", "--skip-preview"]);
    expect((await queryRrset(server.address, "example.com", "MX", 3000)).values).toEqual(["10 mx1.example.com."]);
    expect((await queryRrset(server.address, "10.2.0.192.in-addr.arpa", "PTR", 3000)).values).toEqual(["mx1.example.com."]);
    expect((await queryRrset(server.address, "example.com._report._dmarc.example.net", "TXT", 3000)).values).toEqual(["v=DMARC1"]);
    const report = verifyReport();
    expect(report.errors).toBe(0);
    expect(report.passed).toContain("declared-records-live");
  });

  test("a second up and a refresh find nothing to change; the DKIM key stays", () => {
    const before = p.run(["stack", "output", "--json"]).stdout;
    p.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
    expect(p.run(["stack", "output", "--json"]).stdout).toBe(before);
  });

  test("neither the TSIG secret nor a private key is in the state in plaintext", () => {
    const state = p.run(["stack", "export"]).stdout;
    expect(state).toContain("Rfc2136Records");
    expect(state).not.toContain(server.key.secret);
    expect(state).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    // The records resource holds the domain's key: no key resource, the stored private key encrypted.
    expect(state).not.toContain("DkimKeyPair");
    expect(state).toMatch(/"privateKeys":\s*\{\s*"4dabf18193072939515e22adb298388d"/);
    expect(state).not.toMatch(/rsa-p:/);
  });

  test("pulumi destroy removes every record it made", async () => {
    p.run(["destroy", "--yes", "--skip-preview"]);
    for (const [name, type] of [["example.com", "MX"], ["mx1.example.com", "A"], ["s2026._domainkey.example.com", "TXT"], ["10.2.0.192.in-addr.arpa", "PTR"]] as const) {
      expect((await queryRrset(server.address, name, type, 3000)).values).toEqual([]);
    }
  });

  test("a stack whose keys are DkimKeyPair resources (dkimKeys: resources) moves with maildns migrate-state: the same keys on the server, then nothing to change", async () => {
    // The stack file without what setStackFile keeps by itself (the salt, the secret).
    const stack = readFileSync(join(p.dir, "Pulumi.e2e.yaml"), "utf8").replace(/^encryptionsalt:.*\n/m, "").replace(/^ {2}maildns:tsigSecret:\n {4}secure: .*\n/m, "");
    p.setStackFile(stack.replace(`      keyName: ${server.key.name}\n`, `      keyName: ${server.key.name}\n      dkimKeys: resources\n`));
    p.run(["up", "--yes", "--skip-preview"]);
    expect(p.run(["stack", "export"]).stdout).toContain("DkimKeyPair");
    const live = async () => (await queryRrset(server.address, "s2026._domainkey.example.com", "TXT", 3000)).values;
    const before = await live();
    expect(before[0]).toMatch(/^v=DKIM1; k=rsa; p=MII/);
    p.setStackFile(stack);
    const refused = p.run(["preview"], { allowFail: true });
    expect(refused.stdout + refused.stderr).toMatch(/zone example\.(com|net): the DKIM key of selector s2026 is still held by a DkimKeyPair resource.*maildns migrate-state/);
    const moved = execFileSync(process.execPath, [cli, "migrate-state", "--stack", "e2e"], { cwd: p.dir, env: pulumiEnv(p.dir, bin), encoding: "utf8" });
    expect(moved.match(/^moved DKIM key s2026: \S+DkimKeyPair::\S+ -> \S+Rfc2136Records::\S+$/gm)?.length).toBe(2);
    p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
    expect(await live()).toEqual(before);
    const state = p.run(["stack", "export"]).stdout;
    expect(state).not.toContain("DkimKeyPair");
    expect(verifyReport().errors).toBe(0);
    p.run(["destroy", "--yes", "--skip-preview"]);
  }, 120_000);
});

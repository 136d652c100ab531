import { execFile, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { PolicyAnswer, PolicyServer, startPolicyServer } from "../helpers/https";
import { e2eSuite, tempProject, TempProject } from "../helpers/pulumi";

/**
 * MTA-STS, TLS reporting and BIMI with the real engine on zone files and on
 * RFC 2136, served by BIND: the policy maildns renders (a stack output),
 * served by a local HTTPS server with a test CA, passes `maildns verify`;
 * changing the MX set changes the policy and the `_mta-sts` id in the same
 * update, and verify catches a policy server left on the old policy.
 */
const root = join(__dirname, "../..");
const cli = join(root, "dist/cli/index.js");
const ZONES = ["example.com"];

for (const backend of ["zonefile", "rfc2136"] as const) {
  const { describe: run, bin } = e2eSuite(`the MTA-STS e2e test (${backend})`, haveBind());

  run(`MTA-STS and TLS-RPT, real pulumi up (${backend})`, () => {
    let p: TempProject;
    let dynamic: BindServer | undefined;
    let https: PolicyServer;
    const answers: Record<string, PolicyAnswer> = { "mta-sts.example.com": {} };

    const stack = (hosts: string[]) => `config:
  maildns:defaults:
    dns:
${backend === "zonefile" ? "      provider: zonefile\n      directory: zonefiles\n" : `      provider: rfc2136\n      server: "${dynamic?.address}"\n      keyName: ${dynamic?.key.name}\n`}    dkim:
      - selector: s2026
  maildns:domains:
    - domain: example.com
      mailHosts:
${hosts.map((h, i) => `        - name: ${h}\n          ipv4: ["192.0.2.${10 + i}"]\n`).join("")}      mtaSts:
        mode: enforce
        maxAge: 86400
        host:
          ipv4: ["127.0.0.1"]
      tlsRpt:
        rua: ["tls-reports@example.com"]
      bimi:
        logo: https://example.com/brand/logo.svg
`;
    const setStack = (hosts: string[]) => p.setStackFile(stack(hosts));
    const outputs = () => JSON.parse(p.run(["stack", "output", "--json"]).stdout) as { domains: Record<string, { mtaSts?: { policy: string; url: string } }> };
    /** verify against BIND (zone files: a server started on the files as they are now). */
    const verify = async () => {
      const server = dynamic ?? (await startBind(ZONES.map((name) => ({ name, file: join(p.dir, "zonefiles", `${name}.zone`) }))));
      try {
        // Asynchronously: the policy server runs in this process and must answer meanwhile.
        const r = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
          execFile(process.execPath, [cli, "verify", "example.com", "--server", server.address, "--ca-file", join(p.dir, "ca.pem"), "--https-port", String(https.port), "--json"], { encoding: "utf8" }, (e, stdout) => resolve({ status: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout }));
        });
        const report = (JSON.parse(r.stdout) as { reports: { findings: { ruleId: string; severity: string; subject: string; message: string; unverified?: boolean }[]; passed: string[] }[] }).reports[0];
        // The reverse zone is not served here: its PTR questions are refused, and the checks that need them are not made; the rest is judged.
        const findings = (report?.findings ?? []).filter((f) => !f.unverified);
        if (process.env.MAILDNS_DEBUG) console.log(findings);
        return { status: r.status, findings: findings.map((f) => `${f.ruleId} ${f.severity} ${f.subject}`), passed: report?.passed ?? [] };
      } finally {
        if (!dynamic) await server.stop();
      }
    };

    beforeAll(async () => {
      https = await startPolicyServer(answers);
      if (backend === "rfc2136") dynamic = await startBind(ZONES.map((name) => ({ name, dynamic: true })));
      p = tempProject(stack(["mx1", "mx2"]), bin);
      writeFileSync(join(p.dir, "ca.pem"), https.caPem);
      if (dynamic) p.run(["config", "set", "--secret", "maildns:tsigSecret", dynamic.key.secret]);
      p.run(["up", "--yes", "--skip-preview"]);
    }, 120000);
    afterAll(async () => {
      await https?.stop();
      await dynamic?.stop();
    });

    test("the rendered policy, served as maildns outputs it, passes verify with the records", async () => {
      const sts = outputs().domains["example.com"]?.mtaSts;
      expect(sts?.url).toBe("https://mta-sts.example.com/.well-known/mta-sts.txt");
      expect(sts?.policy).toBe("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n");
      answers["mta-sts.example.com"] = { body: sts?.policy };
      if (backend === "zonefile") for (const z of ZONES) execFileSync("named-checkzone", ["-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", z, join(p.dir, "zonefiles", `${z}.zone`)], { stdio: "pipe" });
      const v = await verify();
      expect(v.findings).toEqual([]);
      expect(v.status).toBe(0);
      expect(v.passed).toEqual(expect.arrayContaining(["mta-sts-record-syntax", "mta-sts-single-record", "mta-sts-policy-syntax", "mta-sts-policy-covers-mx", "tlsrpt-record-syntax", "tlsrpt-single-record", "bimi-record-syntax", "bimi-needs-enforcing-dmarc"]));
    }, 60000);

    test("a new MX host changes the policy and the _mta-sts id in the same update (review shows both)", async () => {
      const before = outputs().domains["example.com"]?.mtaSts?.policy;
      setStack(["mx1", "mx2", "mx3"]);
      const preview = p.run(["preview", "--json", "--show-sames"]).stdout;
      writeFileSync(join(p.dir, "preview.json"), preview);
      const review = JSON.parse(execFileSync(process.execPath, [cli, "review", join(p.dir, "preview.json"), "--format", "json"], { encoding: "utf8" })) as { domains: { domain: string; rows: { op: string; name: string; type: string }[] }[] };
      const rows = review.domains.find((d) => d.domain === "example.com")?.rows.map((r) => `${r.op} ${r.name} ${r.type}`) ?? [];
      expect(rows).toEqual(expect.arrayContaining(["update _mta-sts.example.com TXT", "update example.com MX", "create mx3.example.com A"]));
      p.run(["up", "--yes", "--skip-preview"]);
      const after = outputs().domains["example.com"]?.mtaSts?.policy;
      expect(after).toBe("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmx: mx3.example.com\nmax_age: 86400\n");
      expect(after).not.toBe(before);
      // The policy server still serves the old policy: senders in enforce mode would refuse mx3.
      const stale = await verify();
      expect(stale.findings).toEqual(["mta-sts-policy-covers-mx error example.com MX"]);
      expect(stale.status).toBe(1);
      answers["mta-sts.example.com"] = { body: after };
      expect((await verify()).findings).toEqual([]);
    }, 120000);
  });
}

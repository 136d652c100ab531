import { execFile, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tlsaFromPem } from "../../lib/tlsa";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { selfSignedCert } from "../helpers/certs";
import { e2eSuite, tempProject, TempProject } from "../helpers/pulumi";
import { digestOf } from "../../zones/zonefile-provider";

/**
 * DANE for SMTP with the real engine on zone files and on RFC 2136, served
 * by BIND: a mail host's TLSA records from two certificates (a rollover),
 * named-checkzone accepts the file, `pulumi refresh` reads the records back
 * unchanged, and `maildns verify --tlsa-cert` finds the live records well
 * formed and matching the server's certificate, in a zone that is not signed.
 */
const root = join(__dirname, "../..");
const cli = join(root, "dist/cli/index.js");
const ZONES = ["example.com"];

const current = selfSignedCert("mx1.example.com");
const next = selfSignedCert("mx1.example.com");
const stranger = selfSignedCert("mx1.example.com");

/** A PEM text as a YAML block scalar list item, indented under `certificates:`. */
const pemItem = (pem: string, indent: string) => `${indent}- |\n${pem.trim().split(/\r?\n/).map((l) => `${indent}  ${l}`).join("\n")}\n`;

for (const backend of ["zonefile", "rfc2136"] as const) {
  const { describe: run, bin } = e2eSuite(`the DANE e2e test (${backend})`, haveBind());

  run(`DANE TLSA records, real pulumi up (${backend})`, () => {
    let p: TempProject;
    let dynamic: BindServer | undefined;

    const stack = () => `config:
  maildns:defaults:
    dns:
${backend === "zonefile" ? "      provider: zonefile\n      directory: zonefiles\n" : `      provider: rfc2136\n      server: "${dynamic?.address}"\n      keyName: ${dynamic?.key.name}\n`}  maildns:domains:
    - domain: example.com
      mailHosts:
        - name: mx1
          ipv4: ["192.0.2.10"]
          tlsa:
            certificates:
${pemItem(current.cert, "              ")}${pemItem(next.cert, "              ")}`;

    const verify = async (certs: string[]) => {
      const server = dynamic ?? (await startBind(ZONES.map((name) => ({ name, file: join(p.dir, "zonefiles", `${name}.zone`) }))));
      try {
        const files = certs.map((pem, i) => {
          const f = join(p.dir, `cert${i}.pem`);
          writeFileSync(f, pem);
          return f;
        });
        const r = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
          execFile(process.execPath, [cli, "verify", "example.com", "--server", server.address, "--tlsa-cert", ...files, "--json"], { encoding: "utf8" }, (e, stdout) => resolve({ status: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout }));
        });
        const report = (JSON.parse(r.stdout) as { reports: { findings: { ruleId: string; severity: string; subject: string; unverified?: boolean }[]; passed: string[] }[] }).reports[0];
        // The reverse zone is not served here: its PTR questions are refused, and the checks that need them are not made; the rest is judged.
        const findings = (report?.findings ?? []).filter((f) => !f.unverified);
        return { status: r.status, findings: findings.map((f) => `${f.ruleId} ${f.severity} ${f.subject}`), passed: report?.passed ?? [] };
      } finally {
        if (!dynamic) await server.stop();
      }
    };

    beforeAll(async () => {
      if (backend === "rfc2136") dynamic = await startBind(ZONES.map((name) => ({ name, dynamic: true })));
      p = tempProject(stack(), bin);
      if (dynamic) {
        p.run(["config", "set", "--secret", "maildns:tsigSecret", dynamic.key.secret]);
        // `pulumi config set` rewrites the file: the stack's own text again, with the secret kept.
        p.setStackFile(stack());
      }
      p.run(["up", "--yes", "--skip-preview"]);
    }, 180000);
    afterAll(async () => {
      await dynamic?.stop();
    });

    test("both values of the rollover are published, as the stack outputs declare them", () => {
      const out = JSON.parse(p.run(["stack", "output", "--json"]).stdout) as { domains: Record<string, { records: { name: string; type: string; values: string[] }[] }> };
      const tlsa = out.domains["example.com"]?.records.filter((r) => r.type === "TLSA");
      expect(tlsa).toEqual([expect.objectContaining({ name: "_25._tcp.mx1.example.com", values: [tlsaFromPem(current.cert), tlsaFromPem(next.cert)] })]);
      if (backend === "zonefile") {
        for (const z of ZONES) execFileSync("named-checkzone", ["-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", z, join(p.dir, "zonefiles", `${z}.zone`)], { stdio: "pipe" });
        const text = readFileSync(join(p.dir, "zonefiles", "example.com.zone"), "utf8");
        expect(text).toContain(`_25._tcp.mx1\t3600\tIN\tTLSA\t${tlsaFromPem(current.cert)}`);
      }
    }, 60000);

    test("pulumi refresh reads the TLSA records back unchanged", () => {
      p.run(["refresh", "--yes", "--skip-preview"]);
      p.run(["preview", "--expect-no-changes"]);
      if (backend === "rfc2136") return;
      // Zone files: the refreshed outputs hold the digest of the record set as the file has it, the inputs the record set.
      type Rrsets = Record<string, { ttl: number; rdata: string[] }>;
      const state = JSON.parse(p.run(["stack", "export"]).stdout) as { deployment: { resources: { type: string; inputs?: { rrsets?: Rrsets }; outputs?: { digests?: Record<string, string> } }[] } };
      const zone = state.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/maildns:ZoneFile");
      const tlsa = zone?.inputs?.rrsets?.["_25._tcp.mx1 TLSA"];
      expect(tlsa?.rdata).toEqual([tlsaFromPem(current.cert), tlsaFromPem(next.cert)]);
      expect(zone?.outputs?.digests?.["_25._tcp.mx1 TLSA"]).toBe(digestOf([tlsa?.ttl, [...(tlsa?.rdata ?? [])].sort()]));
    }, 120000);

    test("verify --tlsa-cert: syntax and match pass, tlsa-needs-dnssec warns (the zone is not signed)", async () => {
      const v = await verify([next.cert]);
      expect(v.findings).toEqual(["tlsa-needs-dnssec warning _25._tcp.mx1.example.com TLSA"]);
      expect(v.passed).toEqual(expect.arrayContaining(["tlsa-record-syntax", "tlsa-matches-certificate"]));
      expect(v.status).toBe(0);
    }, 60000);

    test("a certificate no record matches: tlsa-matches-certificate fails, exit 1", async () => {
      const v = await verify([stranger.cert]);
      expect(v.findings).toEqual(expect.arrayContaining(["tlsa-matches-certificate error _25._tcp.mx1.example.com TLSA"]));
      expect(v.status).toBe(1);
    }, 60000);
  });
}

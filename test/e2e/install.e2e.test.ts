import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveBind } from "../helpers/bind";
import { e2eSuite, pulumiEnv, pulumiProject, TempProject } from "../helpers/pulumi";

/**
 * maildns as a user installs it: `npm pack`, the tarball (and, apart, a
 * folder dependency on this checkout) installed into a new Pulumi program
 * with its own package.json, then a real `pulumi up` with MailDomain on the
 * zone-file backend and a DkimKey, a second `up` that changes nothing, and
 * `destroy`. The dynamic providers must load from maildns's own install.
 */
const { describe: run, bin } = e2eSuite("the library-install e2e test", haveBind());
const root = join(__dirname, "../..");
const sdkVersion = (JSON.parse(readFileSync(join(root, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;

const PROGRAM = `"use strict";
const { MailDomain, DkimKey, mailDomainOutputs, zoneFile } = require("maildns");
const zone = zoneFile({ name: "example.org", nameservers: [{ name: "ns1.example.org", ipv4: ["127.0.0.1"] }] });
const md = new MailDomain("example", {
  domain: "example.org",
  zone,
  mailHosts: [{ name: "mx1", ipv4: ["192.0.2.25"] }],
  dkim: [{ selector: "s1" }],
  dmarc: { p: "reject", rua: ["dmarc@example.org"] },
});
const standalone = new DkimKey("standalone", { selector: "s2" });
exports.records = md.records;
exports.dkim = md.dkimRecords;
exports.standaloneKey = standalone.publicKey;
exports.domains = mailDomainOutputs(md);
`;

/** A program with no maildns components: an MX that targets a CNAME, which only the policy pack judges. */
const PLAIN_PROGRAM = `"use strict";
const { zoneFile } = require("maildns");
const zone = zoneFile({ name: "example.org" });
zone.createRecords([
  { name: "example.org", type: "MX", ttl: 300, values: ["10 alias.example.org."] },
  { name: "alias.example.org", type: "CNAME", ttl: 300, values: ["mx.example.org."] },
  { name: "mx.example.org", type: "A", ttl: 300, values: ["192.0.2.10"] },
], { namePrefix: "plain" });
`;

function newProgram(dependency: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "maildns-user-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "mail-infra", private: true, main: "index.js", dependencies: { maildns: dependency, "@pulumi/pulumi": sdkVersion } }, null, 2));
  writeFileSync(join(dir, "index.js"), PROGRAM);
  writeFileSync(join(dir, "Pulumi.yaml"), "name: mail-infra\nruntime: nodejs\n");
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: "pipe", timeout: 600_000 });
  return pulumiProject(dir, bin);
}

function lifecycle(p: TempProject): void {
  p.run(["up", "--yes", "--skip-preview"]);
  const file = join(p.dir, "zonefiles", "example.org.zone");
  expect(existsSync(file)).toBe(true);
  execFileSync("named-checkzone", ["-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "example.org", file], { stdio: "pipe" });
  const outputs = JSON.parse(p.run(["stack", "output", "--json"]).stdout) as { dkim: { selector: string; value: string }[]; standaloneKey: string };
  expect(outputs.dkim.map((d) => d.selector)).toEqual(["s1"]);
  expect(outputs.dkim[0]?.value).toMatch(/^v=DKIM1; k=rsa; p=MII/);
  expect(outputs.standaloneKey).toMatch(/^MII/);
  expect(readFileSync(file, "utf8")).toContain("s1._domainkey");

  // The installed CLI writes the key for the signer from the program's \`domains\` output.
  const keys = mkdtempSync(join(tmpdir(), "maildns-user-keys-"));
  execFileSync(join(p.dir, "node_modules/.bin/maildns"), ["dkim-keys", "--format", "pem", "--out", keys], { cwd: p.dir, env: pulumiEnv(p.dir, bin), stdio: "pipe" });
  const pem = join(keys, "example.org", "s1.pem");
  expect(readFileSync(pem, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  expect(statSync(pem).mode & 0o777).toBe(0o600);

  // Each maildns resource's stack trace in the state is the program's own frames: where it was declared.
  const { deployment } = JSON.parse(p.run(["stack", "export"]).stdout) as { deployment: { resources: { type: string; sourcePosition?: string; stackTrace?: { sourcePosition?: string }[] }[] } };
  const ours = deployment.resources.filter((r) => /^pulumi-nodejs:dynamic\/maildns:/.test(r.type));
  expect(ours.map((r) => r.type).sort()).toEqual(["pulumi-nodejs:dynamic/maildns:DkimKeyPair", "pulumi-nodejs:dynamic/maildns:ZoneFile"]);
  const line = (text: string) => PROGRAM.split("\n").findIndex((l) => l.includes(text)) + 1;
  const declared = (type: string) => ours.find((r) => r.type.endsWith(type))?.sourcePosition;
  expect(declared(":ZoneFile")).toMatch(new RegExp(`^project:///index\\.js#${line("new MailDomain(")},\\d+$`));
  expect(declared(":DkimKeyPair")).toMatch(new RegExp(`^project:///index\\.js#${line("new DkimKey(")},\\d+$`));
  for (const r of ours) for (const f of r.stackTrace ?? []) expect(f.sourcePosition).toMatch(/^project:\/\/\/index\.js#/);

  const second = p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
  expect(second.status).toBe(0);
  expect((JSON.parse(p.run(["stack", "output", "--json"]).stdout) as typeof outputs).dkim[0]?.value).toBe(outputs.dkim[0]?.value);
  expect(p.run(["stack", "export"]).stdout).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);

  p.run(["destroy", "--yes", "--skip-preview"]);
  expect(existsSync(file)).toBe(false);
}

run("maildns installed into a new Pulumi program", () => {
  test("from the npm pack tarball", () => {
    const out = mkdtempSync(join(tmpdir(), "maildns-pack-"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", out, "--loglevel=error"], { cwd: root, stdio: "pipe" });
    const tarball = readdirSync(out).find((f) => f.endsWith(".tgz"));
    expect(tarball).toMatch(/^maildns-\d+\.\d+\.\d+\.tgz$/);
    const p = newProgram(`file:${join(out, tarball as string)}`);
    expect(existsSync(join(p.dir, "node_modules/maildns/dist/zones/providers.js"))).toBe(true);
    lifecycle(p);
    // The policy pack from the installed package's folder: the program passes, a plain MX → CNAME does not.
    const pack = join(p.dir, "node_modules/maildns/policies");
    expect(p.run(["preview", "--policy-pack", pack]).status).toBe(0);
    writeFileSync(join(p.dir, "index.js"), PLAIN_PROGRAM);
    const bad = p.run(["preview", "--policy-pack", pack], { allowFail: true });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/mandatory\]\s+mx-target-not-cname/);
  });

  test("as a folder dependency on a checkout (a link; maildns's dependencies stay in the checkout)", () => {
    const p = newProgram(`file:${root}`);
    expect(existsSync(join(p.dir, "node_modules/node-forge"))).toBe(false);
    lifecycle(p);
  });
});

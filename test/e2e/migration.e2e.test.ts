import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publicKeyFromPrivatePem } from "../../lib/dkim";
import { parseZone } from "../../zones/zonefile-format";
import { haveBind } from "../helpers/bind";
import { e2eSuite, pulumiEnv, tempProject } from "../helpers/pulumi";

/**
 * A stack deployed with an earlier resource layout is updated in place by
 * this version, as a user upgrading maildns in node_modules would: the same
 * DKIM keys (not generated again), the same records in every zone file, and
 * then nothing to change. The old layouts are built from this repository's
 * history:
 * - 0.1: one resource per record set, a DkimKey component around its key pair,
 *   all inside a MailDomain component per domain;
 * - 0.2: one resource per domain and zone, the key pair as a resource, still
 *   inside a MailDomain component per domain (the stack program now registers
 *   none: every resource is a checkpoint write on the file backend);
 * - 0.3: a zone resource and a DkimKeyPair resource per domain, no components.
 * Since then a zone-file domain's keys are held by its zone resource: the
 * upgrade refuses to run until `maildns migrate-state` has moved them.
 */
const LAYOUTS = [
  { name: "0.1 (a resource per record set, DkimKey and MailDomain components)", commit: "733faae485fabbeac5ff544d74dd4200564f3a8a", marks: ["ZoneFileRecordSet", "maildns:index:DkimKey"], dnsUnchanged: false },
  { name: "0.2 (a MailDomain component per domain)", commit: "58e5f90fef120358e541b776591b6665a01badf9", marks: ["maildns:index:MailDomain$pulumi-nodejs:dynamic/maildns:DkimKeyPair"], dnsUnchanged: true },
  { name: "0.3 (a zone resource and a key resource per domain)", commit: "2e9791d6e6cb9eba4727fad70c663c0f72cf411d", marks: ["::pulumi-nodejs:dynamic/maildns:DkimKeyPair::domain-example.com-dkim-s1"], dnsUnchanged: true },
];
const { describe: run, bin } = e2eSuite("the layout migration e2e test", haveBind());
const root = join(__dirname, "../..");

const STACK = `config:
  maildns:defaults:
    dns:
      provider: zonefile
    reverseZones:
      - name: 2.0.192.in-addr.arpa
    dkim:
      - selector: s1
  maildns:domains:
    - domain: example.com
      mailHosts:
        - name: mx1
          ipv4: ["192.0.2.10"]
          ptr: true
      dmarc: { p: reject, rua: ["dmarc@example.com", "reports@example.net"] }
    - domain: example.net
      mailHosts:
        - name: mx1
          ipv4: ["192.0.2.20"]
          ptr: true
      dmarc: { p: quarantine }
`;

/** Every record set of every zone file, without the serial or the owners line. */
function content(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of readdirSync(join(dir, "zonefiles")).filter((x) => x.endsWith(".zone")).sort()) {
    const parsed = parseZone(readFileSync(join(dir, "zonefiles", f), "utf8"));
    if (parsed.kind !== "maildns") throw new Error(`${f} is ${parsed.kind}`);
    out[f] = parsed.model.rrsets.map((r) => `${r.owner} ${r.ttl} ${r.type} ${r.rdata.join(" | ")}`).sort();
  }
  return out;
}

run.each(LAYOUTS)("an existing stack moves from the layout of $name to this version's", ({ commit, marks, dnsUnchanged }) => {
  let oldDist: string;
  beforeAll(() => {
    const src = mkdtempSync(join(tmpdir(), "maildns-old-layout-"));
    execFileSync("bash", ["-c", `git -C "${root}" archive ${commit} | tar -x -C "${src}"`]);
    symlinkSync(join(root, "node_modules"), join(src, "node_modules"));
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: src, stdio: "pipe" });
    oldDist = join(src, "dist");
  }, 180_000);

  test("same DKIM keys, same records, then no changes", () => {
    const p = tempProject(STACK, bin);
    // The old version, installed where the program finds maildns.
    rmSync(join(p.dir, "dist"), { recursive: true, force: true });
    cpSync(oldDist, join(p.dir, "dist"), { recursive: true });
    p.run(["up", "--yes", "--skip-preview"]);
    const oldState = p.run(["stack", "export"]).stdout;
    for (const m of marks) expect(oldState).toContain(m);
    const migrate = (args: string[]) =>
      execFileSync(process.execPath, [join(root, "dist/cli/index.js"), "migrate-state", "--stack", "e2e", ...args], { cwd: p.dir, env: pulumiEnv(p.dir, bin), encoding: "utf8" });
    const before = { keys: p.run(["stack", "output", "--json"]).stdout, zones: content(p.dir) };

    // Upgrade in place: this version's build at the same path.
    rmSync(join(p.dir, "dist"), { recursive: true, force: true });
    cpSync(join(root, "dist"), join(p.dir, "dist"), { recursive: true });
    if (!dnsUnchanged) {
      // Before 0.2 each record set was a resource: the keys cannot move until the records have.
      expect(() => migrate(["--dry-run"])).toThrow(/published by a record-set resource of the layout before 0.2.*set `dkimKeys: resources`/s);
      expect(p.run(["stack", "export"]).stdout).toBe(oldState);
      p.setStackFile(STACK.replace("      provider: zonefile\n", "      provider: zonefile\n      dkimKeys: resources\n"));
      p.run(["up", "--yes", "--skip-preview"]);
      expect(p.run(["stack", "export"]).stdout).not.toContain("ZoneFileRecordSet");
      p.setStackFile(STACK);
    }
    const unmoved = p.run(["stack", "export"]).stdout;
    // The keys are still resources of their own: a plain preview stops, naming the command that moves them.
    const refused = p.run(["preview"], { allowFail: true });
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/the DKIM key of selector s1 is still held by a DkimKeyPair resource of an earlier maildns layout.*maildns migrate-state/);
    const dry = migrate(["--dry-run"]);
    expect(dry).toMatch(/^would move DKIM key s1: \S+DkimKeyPair::\S*example\.com-dkim-s1\S* -> \S+::zonefile-example\.com$/m);
    expect(p.run(["stack", "export"]).stdout).toBe(unmoved);
    const moved = migrate([]);
    expect(moved.match(/^moved DKIM key s1: /gm)?.length).toBe(2);
    expect(moved).toMatch(/the state before the move is in (\S+\.json); run `pulumi up` next/);
    const backup = readFileSync(join(p.dir, /is in (\S+\.json)/.exec(moved)?.[1] ?? ""), "utf8");
    expect(backup).toContain("DkimKeyPair");
    expect(backup).not.toMatch(/rsa-p:|BEGIN PRIVATE KEY/);
    // The plan touches no key and, from 0.2, no DNS resource: it only removes the components.
    const plan = JSON.parse(p.run(["preview", "--json", "--show-sames"]).stdout) as { steps: { op: string; urn: string }[] };
    expect(plan.steps.filter((st) => st.urn.includes("DkimKeyPair"))).toEqual([]);
    if (dnsUnchanged) {
      const changed = plan.steps.filter((st) => st.op !== "same");
      expect(changed.filter((st) => !(st.op === "delete" && st.urn.includes("::maildns:index:MailDomain::"))).map((st) => `${st.op} ${st.urn}`)).toEqual([]);
    }
    p.run(["up", "--yes", "--skip-preview"]);
    const after = { keys: p.run(["stack", "output", "--json"]).stdout, zones: content(p.dir) };
    // Same records and public keys; the private keys are exported as a secret (for `maildns dkim-keys`).
    const strip = (text: string) => {
      const o = JSON.parse(text) as { domains: Record<string, { dkimKeys?: unknown }> };
      for (const d of Object.values(o.domains)) {
        if ("dkimKeys" in d) expect(d.dkimKeys).toBe("[secret]");
        delete d.dkimKeys;
      }
      return o;
    };
    expect(strip(after.keys)).toEqual(strip(before.keys));
    // The private keys are those the old layout generated: each matches its published record.
    const secrets = JSON.parse(p.run(["stack", "output", "--json", "--show-secrets"]).stdout) as { domains: Record<string, { dkim: { selector: string; value: string }[]; dkimKeys: Record<string, string> }> };
    for (const d of Object.values(secrets.domains)) for (const k of d.dkim) expect(k.value).toContain(`p=${publicKeyFromPrivatePem(d.dkimKeys[k.selector] ?? "")}`);
    expect(after.zones).toEqual(before.zones);
    const newState = p.run(["stack", "export"]).stdout;
    expect(newState).not.toContain("ZoneFileRecordSet");
    expect(newState).not.toContain("maildns:index:DkimKey\"");
    expect(newState).not.toContain("maildns:index:MailDomain");
    expect(newState).not.toContain("DkimKeyPair");
    expect(newState).not.toMatch(/rsa-p:|BEGIN PRIVATE KEY/);
    // Every record set now belongs to a resource of this layout.
    for (const f of readdirSync(join(p.dir, "zonefiles")).filter((x) => x.endsWith(".zone"))) {
      const parsed = parseZone(readFileSync(join(p.dir, "zonefiles", f), "utf8"));
      if (parsed.kind === "maildns") for (const r of parsed.model.rrsets) expect([f, r.owner, r.type, typeof r.by]).toEqual([f, r.owner, r.type, "string"]);
    }
    expect(p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]).status).toBe(0);
    expect(content(p.dir)).toEqual(before.zones);
  }, 600_000);
});

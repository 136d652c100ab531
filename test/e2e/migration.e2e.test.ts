import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publicKeyFromPrivatePem } from "../../lib/dkim";
import { parseZone } from "../../zones/zonefile-format";
import { haveBind } from "../helpers/bind";
import { e2eSuite, tempProject } from "../helpers/pulumi";

/**
 * A stack deployed with the resource layout before 0.2 (one resource per
 * record set, a DkimKey component around its key pair) is updated in place
 * by this version, as a user upgrading maildns in node_modules would: the
 * same DKIM keys (not generated again), the same records in every zone file,
 * and then nothing to change. The old layout is built from this
 * repository's history.
 */
const OLD_LAYOUT_COMMIT = "733faae485fabbeac5ff544d74dd4200564f3a8a";
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

run("an existing stack moves to this version's resource layout", () => {
  let oldDist: string;
  beforeAll(() => {
    const src = mkdtempSync(join(tmpdir(), "maildns-old-layout-"));
    execFileSync("bash", ["-c", `git -C "${root}" archive ${OLD_LAYOUT_COMMIT} | tar -x -C "${src}"`]);
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
    expect(oldState).toContain("ZoneFileRecordSet");
    expect(oldState).toContain("maildns:index:DkimKey");
    const before = { keys: p.run(["stack", "output", "--json"]).stdout, zones: content(p.dir) };

    // Upgrade in place: this version's build at the same path.
    rmSync(join(p.dir, "dist"), { recursive: true, force: true });
    cpSync(join(root, "dist"), join(p.dir, "dist"), { recursive: true });
    const up = p.run(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).not.toMatch(/DkimKeyPair\s+\S+\s+(created|replaced)/);
    const after = { keys: p.run(["stack", "output", "--json"]).stdout, zones: content(p.dir) };
    // Same records and public keys; this version also exports the private keys (a secret, for `maildns dkim-keys`).
    const outputs = JSON.parse(after.keys) as { domains: Record<string, { dkimKeys?: unknown }> };
    for (const d of Object.values(outputs.domains)) {
      expect(d.dkimKeys).toBe("[secret]");
      delete d.dkimKeys;
    }
    expect(outputs).toEqual(JSON.parse(before.keys));
    // The private keys are those the old layout generated: each matches its published record.
    const secrets = JSON.parse(p.run(["stack", "output", "--json", "--show-secrets"]).stdout) as { domains: Record<string, { dkim: { selector: string; value: string }[]; dkimKeys: Record<string, string> }> };
    for (const d of Object.values(secrets.domains)) for (const k of d.dkim) expect(k.value).toContain(`p=${publicKeyFromPrivatePem(d.dkimKeys[k.selector] ?? "")}`);
    expect(after.zones).toEqual(before.zones);
    const newState = p.run(["stack", "export"]).stdout;
    expect(newState).not.toContain("ZoneFileRecordSet");
    expect(newState).not.toContain("maildns:index:DkimKey\"");
    // Every record set now belongs to a resource of this layout.
    for (const f of readdirSync(join(p.dir, "zonefiles")).filter((x) => x.endsWith(".zone"))) {
      const parsed = parseZone(readFileSync(join(p.dir, "zonefiles", f), "utf8"));
      if (parsed.kind === "maildns") for (const r of parsed.model.rrsets) expect([f, r.owner, r.type, typeof r.by]).toEqual([f, r.owner, r.type, "string"]);
    }
    expect(p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]).status).toBe(0);
    expect(content(p.dir)).toEqual(before.zones);
  }, 600_000);
});

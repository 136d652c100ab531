import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zoneFileProvider, zoneRecordSetProvider, ZoneFileInputs, RecordSetInputs } from "../../zones/zonefile-provider";
import { haveBind } from "../helpers/bind";

/**
 * The zone-file providers on a real folder: hand edits are refused and the
 * file is left exactly as the person left it; hand-written records kept in an
 * included file are loaded by named-checkzone and never touched; permission
 * errors say so; no temporary file is ever left behind.
 */
const header = [
  { owner: "@", type: "SOA", ttl: 3600, rdata: ["ns1.example.com. hostmaster.example.com. 0 3600 900 1209600 300"] },
  { owner: "@", type: "NS", ttl: 3600, rdata: ["ns1.example.com."] },
  { owner: "ns1", type: "A", ttl: 3600, rdata: ["127.0.0.1"] },
];
const checkzone = (file: string, cwd: string) =>
  spawnSync("named-checkzone", ["-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "example.com", file], { cwd, encoding: "utf8" });

function setup(includes?: string[]) {
  const root = mkdtempSync(join(tmpdir(), "maildns-zf-"));
  const zone: ZoneFileInputs = { root, path: "zonefiles/example.com.zone", origin: "example.com", header, owner: "maildns/test", includes };
  const mx: RecordSetInputs = { root, path: zone.path, origin: "example.com", rrset: { owner: "@", type: "MX", ttl: 300, rdata: ["10 mx1.example.com."] } };
  const a: RecordSetInputs = { ...mx, rrset: { owner: "mx1", type: "A", ttl: 300, rdata: ["192.0.2.10"] } };
  return { root, zone, mx, a, file: join(root, zone.path) };
}
const noTmp = (root: string) => expect(readdirSync(join(root, "zonefiles")).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock"))).toEqual([]);

(haveBind() ? describe : describe.skip)("zone-file providers on disk", () => {
  test("a hand edit is refused on the next change, and the edited file is left as it was", async () => {
    const { root, zone, mx, a, file } = setup();
    await zoneFileProvider.create(zone);
    await zoneRecordSetProvider.create(a);
    await zoneRecordSetProvider.create(mx);
    expect(checkzone(file, root).status).toBe(0);
    const edited = `${readFileSync(file, "utf8")}www\t300\tIN\tA\t192.0.2.80\n`;
    writeFileSync(file, edited);
    await expect(zoneRecordSetProvider.update("id", mx, { ...mx, rrset: { ...mx.rrset, ttl: 600 } })).rejects.toThrow(/edited by hand since maildns wrote it; refusing to overwrite the edits\. Move hand-written records into a file listed in the zone's `includes`/);
    await expect(zoneRecordSetProvider.delete("id", a)).rejects.toThrow(/edited by hand/);
    await expect(zoneFileProvider.read("id", zone)).rejects.toThrow(/edited by hand/);
    expect(readFileSync(file, "utf8")).toBe(edited);
    noTmp(root);
  });

  test("a hand edit already stops the diff of a change (the preview), not only its update; a diff without changes does not read the file", async () => {
    const { root, zone, file } = setup();
    const withRecords: ZoneFileInputs = { ...zone, rrsets: { "@ MX": { ttl: 300, rdata: ["10 mx1.example.com."] }, "mx1 A": { ttl: 300, rdata: ["192.0.2.10"] } } };
    const { outs } = await zoneFileProvider.create(withRecords);
    const changed: ZoneFileInputs = { ...withRecords, rrsets: { ...withRecords.rrsets, "mx1 A": { ttl: 300, rdata: ["192.0.2.11"] } } };
    await expect(zoneFileProvider.diff("id", outs, changed)).resolves.toMatchObject({ changes: true });
    writeFileSync(file, `${readFileSync(file, "utf8")}www\t300\tIN\tA\t192.0.2.80\n`);
    await expect(zoneFileProvider.diff("id", outs, changed)).rejects.toThrow(/zonefiles\/example\.com\.zone was edited by hand since maildns wrote it/);
    await expect(zoneFileProvider.diff("id", outs, withRecords)).resolves.toMatchObject({ changes: false });
    noTmp(root);
  });

  test("a file maildns did not write is never overwritten", async () => {
    const { root, zone, file } = setup();
    execFileSync("mkdir", ["-p", join(root, "zonefiles")]);
    const theirs = "$ORIGIN example.com.\n@ 3600 IN SOA ns1 hostmaster 1 3600 900 1209600 300\n";
    writeFileSync(file, theirs);
    await expect(zoneFileProvider.create(zone)).rejects.toThrow(/was not written by maildns; refusing to overwrite it/);
    expect(readFileSync(file, "utf8")).toBe(theirs);
  });

  test("another stack's file is not taken over", async () => {
    const { zone } = setup();
    await zoneFileProvider.create(zone);
    await expect(zoneFileProvider.create({ ...zone, owner: "maildns/other" })).rejects.toThrow(/already exists and belongs to maildns\/test; refusing to overwrite it/);
  });

  test("hand-written records in an included file: loaded by named-checkzone, never written by maildns", async () => {
    const { root, zone, mx, a, file } = setup(["zonefiles/hand.zone"]);
    execFileSync("mkdir", ["-p", join(root, "zonefiles")]);
    const hand = "www 300 IN A 192.0.2.80\n_acme-challenge 60 IN TXT \"token\"\n";
    writeFileSync(join(root, "zonefiles/hand.zone"), hand);
    await zoneFileProvider.create(zone);
    await zoneRecordSetProvider.create(a);
    await zoneRecordSetProvider.create(mx);
    await zoneRecordSetProvider.update("id", mx, { ...mx, rrset: { ...mx.rrset, rdata: ["20 mx1.example.com."] } });
    expect(readFileSync(file, "utf8")).toContain('$INCLUDE "zonefiles/hand.zone"');
    const r = spawnSync("named-checkzone", ["-D", "-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "example.com", file], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/www\.example\.com\.\s+300\s+IN\s+A\s+192\.0\.2\.80/);
    expect(r.stdout).toMatch(/example\.com\.\s+300\s+IN\s+MX\s+20 mx1\.example\.com\./);
    expect(readFileSync(join(root, "zonefiles/hand.zone"), "utf8")).toBe(hand);
    await zoneRecordSetProvider.delete("id", mx);
    await zoneRecordSetProvider.delete("id", a);
    await zoneFileProvider.delete("id", zone);
    expect(readFileSync(join(root, "zonefiles/hand.zone"), "utf8")).toBe(hand);
    noTmp(root);
  });

  test("a folder the update may not write: \"permission denied\", no temporary file", () => {
    const { root, zone } = setup();
    execFileSync("mkdir", ["-p", join(root, "zonefiles")]);
    chmodSync(join(root, "zonefiles"), 0o555);
    chmodSync(root, 0o755);
    // As root, run the provider as "nobody", whom the mode binds (root ignores it), from a
    // copy of the built code it can read (the checkout may sit in a folder only root can enter).
    const code = mkdtempSync(join(tmpdir(), "maildns-code-"));
    chmodSync(code, 0o755);
    cpSync(join(__dirname, "../../dist"), join(code, "dist"), { recursive: true });
    for (const m of ["tldts", "tldts-core"]) cpSync(join(__dirname, "../../node_modules", m), join(code, "node_modules", m), { recursive: true });
    const script = `require(${JSON.stringify(join(code, "dist/zones/zonefile-provider.js"))}).zoneFileProvider.create(${JSON.stringify(zone)}).then(() => console.log("written"), (e) => console.log(e.message));`;
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    expect(`${r.stdout}${r.stderr}`).toMatch(/^permission denied: cannot create the lock .*example\.com\.zone\.lock/);
    noTmp(root);
  });
});

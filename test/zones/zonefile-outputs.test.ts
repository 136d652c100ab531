import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { headerOf, storedHeader, zoneHeader } from "../../zones/zone-header";
import { digestOf, RRsetMap, ZoneFileInputs, zoneFileProvider, ZoneRecordsInputs, zoneRecordsProvider } from "../../zones/zonefile-provider";

/**
 * What the zone-file resources keep in their outputs: where the file is and
 * a digest of each record set they wrote; the record sets themselves are
 * inputs only (the policy pack reads them there). State written before kept
 * the record sets in the outputs as well: such outputs still diff, update,
 * read and delete the same way.
 */
const header = [
  { owner: "@", type: "SOA", ttl: 3600, rdata: ["ns1.example.com. hostmaster.example.com. 0 3600 900 1209600 300"] },
  { owner: "@", type: "NS", ttl: 3600, rdata: ["ns1.example.com."] },
];
const mine: RRsetMap = { "@ MX": { ttl: 3600, rdata: ["10 mx1.example.com."] }, "mx1 A": { ttl: 3600, rdata: ["192.0.2.10"] } };
const theirs: RRsetMap = { "@ TXT": { ttl: 300, rdata: ['"v=spf1 -all"'] }, "_dmarc TXT": { ttl: 300, rdata: ['"v=DMARC1; p=reject"'] } };
/** A digest per record set: TTL and sorted values, as the provider computes it. */
const digests = (m: RRsetMap) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, digestOf([v.ttl, [...v.rdata].sort()])]));

function setup() {
  const root = mkdtempSync(join(tmpdir(), "maildns-zo-"));
  const zone: ZoneFileInputs = { root, path: "zonefiles/example.com.zone", origin: "example.com", header, owner: "maildns/test", rrsets: mine };
  const records: ZoneRecordsInputs = { root, path: zone.path, origin: "example.com", rrsets: theirs };
  return { zone, records, text: () => readFileSync(join(root, zone.path), "utf8") };
}

describe("zone-file outputs: a digest per record set, not the record sets", () => {
  test("create keeps where the file is and a digest of each record set it wrote", async () => {
    const { zone, records } = setup();
    const z = await zoneFileProvider.create(zone);
    const r = await zoneRecordsProvider.create(records);
    expect(z.outs).toEqual({ root: zone.root, path: zone.path, origin: "example.com", owner: "maildns/test", digest: expect.stringMatching(/^[0-9a-f]{16}$/), digests: digests(mine) });
    expect(r.outs).toEqual({ root: zone.root, path: zone.path, origin: "example.com", digests: digests(theirs) });
  });

  test("diff: no change against outputs of either form; a changed TTL, value or set is a change", async () => {
    const { zone, records } = setup();
    const z = (await zoneFileProvider.create(zone)).outs;
    const r = (await zoneRecordsProvider.create(records)).outs;
    // Outputs written before: the record sets beside the digests.
    const zBefore = { ...z, rrsets: mine };
    const rBefore = { ...r, rrsets: theirs };
    // Keys back from the engine in another order change nothing.
    const reordered = Object.fromEntries(Object.entries(theirs).reverse());
    for (const olds of [z, zBefore]) expect((await zoneFileProvider.diff("id", olds, zone)).changes).toBe(false);
    for (const olds of [r, rBefore]) {
      expect((await zoneRecordsProvider.diff("id", olds, records)).changes).toBe(false);
      expect((await zoneRecordsProvider.diff("id", olds, { ...records, rrsets: reordered })).changes).toBe(false);
      expect((await zoneRecordsProvider.diff("id", olds, { ...records, rrsets: { ...theirs, "@ TXT": { ttl: 600, rdata: ['"v=spf1 -all"'] } } })).changes).toBe(true);
      expect((await zoneRecordsProvider.diff("id", olds, { ...records, rrsets: { ...theirs, "@ TXT": { ttl: 300, rdata: ['"v=spf1 mx -all"'] } } })).changes).toBe(true);
      expect((await zoneRecordsProvider.diff("id", olds, { ...records, rrsets: { "@ TXT": theirs["@ TXT"] as RRsetMap[string] } })).changes).toBe(true);
    }
    for (const olds of [z, zBefore]) {
      expect((await zoneFileProvider.diff("id", olds, { ...zone, rrsets: { ...mine, "mx1 A": { ttl: 3600, rdata: ["192.0.2.11"] } } })).changes).toBe(true);
    }
  });

  test("update removes the record set it wrote and no longer wants, and writes the new digests", async () => {
    const { zone, records, text } = setup();
    await zoneFileProvider.create(zone);
    const created = await zoneRecordsProvider.create(records);
    const next = { ...records, rrsets: { "@ TXT": theirs["@ TXT"] as RRsetMap[string] } };
    const updated = await zoneRecordsProvider.update(created.id, created.outs, next);
    expect(updated.outs).toEqual({ root: zone.root, path: zone.path, origin: "example.com", digests: digests(next.rrsets) });
    expect(text()).toContain("v=spf1 -all");
    expect(text()).not.toContain("_dmarc");
  });

  test("read: the digests of the record sets as the file holds them, from outputs of either form; delete removes only what the resource wrote", async () => {
    const { zone, records, text } = setup();
    const z = await zoneFileProvider.create(zone);
    const r = await zoneRecordsProvider.create(records);
    for (const props of [r.outs, { ...r.outs, rrsets: theirs }]) {
      expect((await zoneRecordsProvider.read(r.id, props)).props).toEqual(r.outs);
    }
    expect((await zoneFileProvider.read(z.id, { ...z.outs, rrsets: mine })).props).toEqual(z.outs);
    await zoneRecordsProvider.delete(r.id, r.outs);
    expect(text()).not.toContain("v=spf1");
    expect(text()).toContain("192.0.2.10");
  });
});

describe("the default header is not kept in the inputs", () => {
  const glue = { owner: "ns1", type: "A", ttl: 3600, rdata: ["127.0.0.1"] };

  test("a zone whose config names no nameservers, hostmaster, TTL or SOA timers stores no header; any other keeps its own", () => {
    expect(zoneHeader("example.com", {})).toEqual([...header, glue]);
    expect(storedHeader("example.com", zoneHeader("example.com", {}))).toBeUndefined();
    for (const args of [{ ttl: 300 }, { hostmaster: "dns@example.net" }, { soa: { minimum: 60 } }, { nameservers: [{ name: "ns.example.net" }] }]) {
      const own = zoneHeader("example.com", args);
      expect(storedHeader("example.com", own)).toEqual(own);
      expect(headerOf({ origin: "example.com", header: own })).toEqual(own);
    }
    expect(headerOf({ origin: "example.com" })).toEqual(zoneHeader("example.com", {}));
  });

  test("the provider writes the default header, and state that kept it diffs as unchanged against inputs without it", async () => {
    const { zone, text } = setup();
    const kept = { ...zone, header: [...header, glue] };
    const created = await zoneFileProvider.create(kept);
    const { header: _dropped, ...without } = kept;
    expect((await zoneFileProvider.diff(created.id, created.outs, without)).changes).toBe(false);
    const before = text();
    expect(before).toMatch(/^@\t3600\tIN\tSOA\tns1\.example\.com\. hostmaster\.example\.com\. \d+ 3600 900 1209600 300$/m);
    expect(before).toMatch(/^ns1\t3600\tIN\tA\t127\.0\.0\.1$/m);
    // Written again from inputs without a header: the same header in the file, and the same outputs.
    const updated = await zoneFileProvider.update(created.id, created.outs, without);
    expect(updated.outs).toEqual(created.outs);
    const body = (t: string) => t.replace(/^; sha256 .*$/m, "").replace(/ \d{10} /, " SERIAL ");
    expect(body(text())).toBe(body(before));
    // A header of its own is a change.
    expect((await zoneFileProvider.diff(created.id, updated.outs, { ...without, header: zoneHeader("example.com", { ttl: 300 }) })).changes).toBe(true);
  });
});

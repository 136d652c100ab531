import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dkimPrivateKeyPem } from "../../components/dkim-key-material";
import { generatedKeyMarker, generatedKeyRecord, parseDkim } from "../../lib/dkim";
import { parseTxt } from "../../lib/txt";
import { parseZone } from "../../zones/zonefile-format";
import { KeySpecs, RRsetMap, ZoneFileInputs, ZoneFileOutputs, zoneFileProvider, ZoneRecordsInputs, zoneRecordsProvider } from "../../zones/zonefile-provider";

/**
 * DKIM keys held by the zone resource itself: the provider makes each key
 * its inputs ask for, writes the key's DKIM record where the set has the
 * key's marker, keeps the key in its outputs (the private key in the secret
 * output), and makes it again only when its algorithm or size changes.
 */
const header = [
  { owner: "@", type: "SOA", ttl: 3600, rdata: ["ns1.example.com. hostmaster.example.com. 0 3600 900 1209600 300"] },
  { owner: "@", type: "NS", ttl: 3600, rdata: ["ns1.example.com."] },
];
const rrsets = (...selectors: string[]): RRsetMap => ({
  "@ MX": { ttl: 3600, rdata: ["10 mx1.example.com."] },
  ...Object.fromEntries(selectors.map((s) => [`${s}._domainkey TXT`, { ttl: 3600, rdata: [generatedKeyMarker(s)] }])),
});

function setup(keys: KeySpecs, sets: RRsetMap) {
  const root = mkdtempSync(join(tmpdir(), "maildns-zk-"));
  const zone: ZoneFileInputs = { root, path: "zonefiles/example.com.zone", origin: "example.com", header, owner: "maildns/test", rrsets: sets, keys };
  const file = () => {
    const parsed = parseZone(readFileSync(join(root, zone.path), "utf8"));
    if (parsed.kind !== "maildns") throw new Error(`zone file: ${parsed.kind}`);
    return parsed.model;
  };
  /** The DKIM record the file publishes at <selector>._domainkey, joined from its character-strings. */
  const published = (selector: string) => {
    const set = file().rrsets.find((r) => r.owner === `${selector}._domainkey` && r.type === "TXT");
    return set ? parseTxt(set.rdata[0] as string).join("") : undefined;
  };
  return { root, zone, published };
}

describe("DKIM keys held by the zone-file resource", () => {
  test("create makes each key, publishes its record where the marker stands, and keeps it in the outputs", async () => {
    const { zone, published } = setup({ s1: { keyBits: 2048 }, e1: { algorithm: "ed25519" } }, rrsets("s1", "e1"));
    const { outs } = await zoneFileProvider.create(zone);
    const o = outs as ZoneFileOutputs;
    expect(Object.keys(o.publicKeys ?? {}).sort()).toEqual(["e1", "s1"]);
    expect(published("s1")).toBe(generatedKeyRecord(o.publicKeys?.s1 as string));
    expect(parseDkim(published("s1") as string).record?.keyBits).toBe(2048);
    expect(published("e1")).toBe(`v=DKIM1; k=ed25519; p=${o.publicKeys?.e1}`);
    // The stored private key rebuilds a PEM whose public half is the published key.
    expect(o.privateKeys?.s1).toMatch(/^rsa-p:/);
    expect(o.privateKeys?.e1).toMatch(/^ed25519-seed:/);
    const pem = dkimPrivateKeyPem({ publicKey: o.publicKeys?.s1 as string, privateKeyPem: o.privateKeys?.s1 as string });
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // The digest is of the record as written: a refresh reads the same.
    const read = await zoneFileProvider.read(zone.path, o);
    expect(read.props).toMatchObject({ digests: o.digests, publicKeys: o.publicKeys, privateKeys: o.privateKeys });
  });

  test("diff: the same keys asked for again are no change; a new selector, a new size, a new algorithm or a dropped selector is one", async () => {
    const { zone } = setup({ s1: { keyBits: 2048 } }, rrsets("s1"));
    const o = (await zoneFileProvider.create(zone)).outs as ZoneFileOutputs;
    expect(await zoneFileProvider.diff("id", o, zone)).toMatchObject({ changes: false, replaces: [] });
    expect((await zoneFileProvider.diff("id", o, { ...zone, keys: { s1: { keyBits: 2048, allowWeakKey: true } } })).changes).toBe(false);
    for (const news of [
      { ...zone, keys: { s1: { keyBits: 2048 }, s2: { keyBits: 2048 } }, rrsets: rrsets("s1", "s2") },
      { ...zone, keys: { s1: { keyBits: 3072 } } },
      { ...zone, keys: { s1: { algorithm: "ed25519" as const } } },
      { ...zone, keys: {}, rrsets: rrsets() },
    ]) {
      expect(await zoneFileProvider.diff("id", o, news)).toMatchObject({ changes: true, replaces: [] });
    }
  });

  test("update keeps the keys that still match, makes the changed one again and drops a removed selector's", async () => {
    const { zone, published } = setup({ s1: { keyBits: 2048 }, s2: { keyBits: 2048 } }, rrsets("s1", "s2"));
    const o = (await zoneFileProvider.create(zone)).outs as ZoneFileOutputs;
    // s1 kept, s2 grows to 3072 bits, s3 is new.
    const next = { ...zone, keys: { s1: { keyBits: 2048 }, s2: { keyBits: 3072 }, s3: { keyBits: 2048 } }, rrsets: rrsets("s1", "s2", "s3") };
    const u = (await zoneFileProvider.update(zone.path, o, next)).outs as ZoneFileOutputs;
    expect(u.publicKeys?.s1).toBe(o.publicKeys?.s1);
    expect(u.privateKeys?.s1).toBe(o.privateKeys?.s1);
    expect(u.publicKeys?.s2).not.toBe(o.publicKeys?.s2);
    expect(parseDkim(published("s2") as string).record?.keyBits).toBe(3072);
    expect(published("s3")).toBe(generatedKeyRecord(u.publicKeys?.s3 as string));
    expect(await zoneFileProvider.diff("id", u, next)).toMatchObject({ changes: false });
    // A retained key (no marker: not published) stays; a removed selector's key is gone with its record.
    const retired = { ...next, keys: { s1: { keyBits: 2048 }, s2: { keyBits: 3072 } }, rrsets: rrsets("s1") };
    const r = (await zoneFileProvider.update(zone.path, u, retired)).outs as ZoneFileOutputs;
    expect(Object.keys(r.publicKeys ?? {}).sort()).toEqual(["s1", "s2"]);
    expect(r.publicKeys?.s2).toBe(u.publicKeys?.s2);
    expect(published("s2")).toBeUndefined();
    expect(published("s3")).toBeUndefined();
  });

  test("state of the earlier layout (keys in DkimKeyPair resources) is refused before anything is written, naming maildns migrate-state", async () => {
    const { zone } = setup({ s1: { keyBits: 2048 } }, rrsets("s1"));
    const o = (await zoneFileProvider.create(zone)).outs as ZoneFileOutputs;
    const { publicKeys: _p, privateKeys: _s, ...earlier } = o;
    await expect(zoneFileProvider.diff("id", earlier, zone)).rejects.toThrow(/zonefiles\/example\.com\.zone: the DKIM key of selector s1 is still held by a DkimKeyPair resource of an earlier maildns layout.*maildns migrate-state/);
    await expect(zoneFileProvider.update(zone.path, earlier, zone)).rejects.toThrow(/maildns migrate-state/);
    // The same after an update with the earlier layout's keys kept as resources (`dkimKeys: resources`): no key held, the record there.
    await expect(zoneFileProvider.diff("id", { ...earlier, publicKeys: {}, privateKeys: {} }, zone)).rejects.toThrow(/the DKIM key of selector s1 is still held/);
    // A selector with no record yet is simply made, whatever the layout before.
    const noDkim = { ...earlier, digests: { "@ MX": earlier.digests?.["@ MX"] as string } };
    expect((await zoneFileProvider.diff("id", noDkim, { ...zone, keys: { s5: { keyBits: 2048 } }, rrsets: rrsets("s5") })).changes).toBe(true);
    // A zone resource that holds no generated key needs nothing moved.
    expect((await zoneFileProvider.diff("id", earlier, { ...zone, keys: {}, rrsets: { "@ MX": { ttl: 3600, rdata: ["10 mx1.example.com."] } } })).changes).toBe(true);
  });

  test("a records resource (another domain's records in the zone) holds its keys the same way", async () => {
    const { root, zone, published } = setup({}, { "@ MX": { ttl: 3600, rdata: ["10 mx1.example.com."] } });
    await zoneFileProvider.create(zone);
    const records: ZoneRecordsInputs = { root, path: zone.path, origin: "example.com", rrsets: { "sub TXT": { ttl: 300, rdata: ['"v=spf1 -all"'] }, ...rrsets("s9") }, keys: { s9: { keyBits: 2048 } } };
    delete records.rrsets["@ MX"];
    const { outs } = await zoneRecordsProvider.create(records);
    expect(published("s9")).toBe(generatedKeyRecord((outs as { publicKeys: Record<string, string> }).publicKeys.s9 as string));
    expect(await zoneRecordsProvider.diff("id", outs, records)).toMatchObject({ changes: false });
    const read = await zoneRecordsProvider.read("id", outs);
    expect(read.props).toMatchObject({ publicKeys: (outs as { publicKeys: object }).publicKeys });
  });
});

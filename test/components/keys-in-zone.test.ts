import { byType, installMocks, MOCK_ED25519_PUBLIC_KEY, MOCK_PUBLIC_KEY, promiseOf, settled } from "../helpers/mocks";
const registered = installMocks();

import { declareMailDomain } from "../../components/mail-domain";
import { generatedKeyMarker } from "../../lib/dkim";
import { rfc2136Zone } from "../../zones/rfc2136";
import { zoneFile } from "../../zones/zonefile";

/**
 * On the zone-file and RFC 2136 backends a domain's DKIM keys are generated
 * and kept by the resource that publishes its records: one resource per
 * domain, its `keys` input naming each key, its record the key's marker; the
 * domain's outputs carry the key's record and private key as before.
 * `dkimKeys: "resources"` keeps a DkimKeyPair per key.
 */
const PAIR = "pulumi-nodejs:dynamic/maildns:DkimKeyPair";
const dkim = [{ selector: "s1" }, { selector: "e1", keyType: "ed25519" as const }, { selector: "s0", retired: true }];
const hosts = [{ name: "mx1.example.com", ipv4: ["192.0.2.10"] }];

describe("DKIM keys kept by the zone resource (mocks)", () => {
  test("zone files: one ZoneFile with the keys asked for and the record as its marker; the outputs give the key's record and private key", async () => {
    const before = registered.length;
    const md = declareMailDomain("zf", { domain: "example.com", zone: zoneFile({ name: "example.com" }), mailHosts: hosts, dkim, dmarc: { p: "reject" } });
    const records = await promiseOf(md.records);
    await settled(registered);
    const mine = registered.slice(before);
    expect(mine.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/maildns:ZoneFile"]);
    const inputs = mine[0]?.inputs as { keys: object; rrsets: Record<string, { rdata: string[] }> };
    expect(inputs.keys).toEqual({ s1: { keyBits: 2048 }, e1: { algorithm: "ed25519" }, s0: { keyBits: 2048 } });
    expect(inputs.rrsets["s1._domainkey TXT"]?.rdata).toEqual([generatedKeyMarker("s1")]);
    expect(inputs.rrsets["e1._domainkey TXT"]?.rdata).toEqual([generatedKeyMarker("e1")]);
    // The retired selector publishes the revoked record; its key stays in the state.
    expect(inputs.rrsets["s0._domainkey TXT"]?.rdata).toEqual(['"v=DKIM1; k=rsa; p="']);
    expect(records.find((r) => r.name === "s1._domainkey.example.com")?.values).toEqual([`v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}`]);
    expect(await promiseOf(md.dkimRecords)).toEqual([
      { selector: "s1", name: "s1._domainkey.example.com", value: `v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}` },
      { selector: "e1", name: "e1._domainkey.example.com", value: `v=DKIM1; k=ed25519; p=${MOCK_ED25519_PUBLIC_KEY}` },
      { selector: "s0", name: "s0._domainkey.example.com", value: "v=DKIM1; k=rsa; p=" },
    ]);
    expect(Object.keys(await promiseOf(md.dkimPrivateKeys)).sort()).toEqual(["e1", "s0", "s1"]);
  });

  test("RFC 2136: one Rfc2136Records holding the keys the same way, its values as sent", async () => {
    const before = registered.length;
    const zone = rfc2136Zone({ name: "example.net", server: "127.0.0.1:53", key: { name: "k", secret: "c2VjcmV0" } });
    const md = declareMailDomain("u", { domain: "example.net", zone, mx: [{ host: "mail.example.com", preference: 10 }], dkim: [{ selector: "s1" }], dmarc: { p: "reject" } });
    const records = await promiseOf(md.records);
    await settled(registered);
    const mine = registered.slice(before);
    expect(mine.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/maildns:Rfc2136Records"]);
    const inputs = mine[0]?.inputs as { keys: object; rrsets: { name: string; type: string; values: string[] }[] };
    expect(inputs.keys).toEqual({ s1: { keyBits: 2048 } });
    expect(inputs.rrsets.find((r) => r.name === "s1._domainkey.example.net")?.values).toEqual([generatedKeyMarker("s1")]);
    expect(records.find((r) => r.name === "s1._domainkey.example.net")?.values).toEqual([`v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}`]);
  });

  test('dkimKeys: "resources" keeps a DkimKeyPair per key and the record as the key\'s value', async () => {
    const before = registered.length;
    const md = declareMailDomain("res", { domain: "example.org", zone: zoneFile({ name: "example.org", dkimKeys: "resources" }), mx: [{ host: "mail.example.com", preference: 10 }], dkim: [{ selector: "s1" }] });
    await promiseOf(md.records);
    await settled(registered);
    const mine = registered.slice(before);
    expect(mine.map((r) => r.type).sort()).toEqual([PAIR, "pulumi-nodejs:dynamic/maildns:ZoneFile"]);
    const zoneInputs = mine.find((r) => r.type.endsWith(":ZoneFile"))?.inputs as { keys: object; rrsets: Record<string, { rdata: string[] }> };
    expect(zoneInputs.keys).toEqual({});
    expect(zoneInputs.rrsets["s1._domainkey TXT"]?.rdata[0]).toContain(MOCK_PUBLIC_KEY.slice(0, 100));
    expect(byType(registered, PAIR)["res-dkim-s1"]).toEqual({ selector: "s1", keyBits: 2048, allowWeakKey: false });
    expect(() => zoneFile({ name: "example.org", dkimKeys: "elsewhere" as never })).toThrow(/dkimKeys is "zone" or "resources"/);
    expect(() => rfc2136Zone({ name: "example.net", server: "127.0.0.1:53", key: { name: "k", secret: "c2VjcmV0" }, dkimKeys: "elsewhere" as never })).toThrow(/dkimKeys is "zone" or "resources"/);
  });
});

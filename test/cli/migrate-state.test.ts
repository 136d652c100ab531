import { generatedKeyMarker, generatedKeyRecord } from "../../lib/dkim";
import { presentTxt } from "../../lib/txt";
import { migrateDeployment } from "../../cli/migrate-state";
import { viewFromResources } from "../../policies/resources";
import { MOCK_PUBLIC_KEY } from "../helpers/mocks";

/**
 * `maildns migrate-state` on a deployment as `pulumi stack export
 * --show-secrets` prints it: each zone-file domain's DkimKeyPair moves into
 * the zone resource that publishes it (public key, private key as a secret,
 * the key's spec, the record as its marker); nothing else changes, and a key
 * whose records are elsewhere stays a resource.
 */
const SIG = "4dabf18193072939515e22adb298388d";
const secret = (v: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(v) });
const STACK = "urn:pulumi:prod::maildns::pulumi:pulumi:Stack::maildns-prod";
const urn = (type: string, name: string) => `urn:pulumi:prod::maildns::pulumi-nodejs:dynamic/maildns:${type}::${name}`;
const keyUrn = (domain: string, sel: string) => urn("DkimKeyPair", `domain-${domain}-dkim-${sel}`);
const key = (domain: string, sel: string, extra: object = {}) => ({
  urn: keyUrn(domain, sel),
  type: "pulumi-nodejs:dynamic/maildns:DkimKeyPair",
  parent: STACK,
  inputs: { selector: sel, keyBits: 2048, allowWeakKey: false, ...extra },
  outputs: { selector: sel, keyBits: 2048, publicKey: MOCK_PUBLIC_KEY, privateKeyPem: secret(`rsa-p:${domain}-${sel}`), createdAt: "2026-01-01T00:00:00Z" },
});
const dkimRdata = presentTxt(generatedKeyRecord(MOCK_PUBLIC_KEY));
const zone = (domain: string, deps: string[]) => ({
  urn: urn("ZoneFile", `zonefile-${domain}`),
  type: "pulumi-nodejs:dynamic/maildns:ZoneFile",
  parent: STACK,
  inputs: { origin: domain, path: `zonefiles/${domain}.zone`, rrsets: { "@ MX": { ttl: 3600, rdata: [`10 mx1.${domain}.`] }, "s1._domainkey TXT": { ttl: 3600, rdata: [dkimRdata] } } },
  outputs: { origin: domain, path: `zonefiles/${domain}.zone`, digest: "0123456789abcdef", digests: { "@ MX": "aaaa", "s1._domainkey TXT": "bbbb" } },
  dependencies: deps,
  propertyDependencies: { rrsets: deps, origin: [] },
});
const cloudflare = {
  urn: "urn:pulumi:prod::maildns::cloudflare:index/dnsRecord:DnsRecord::domain-example.org-txt-s1._domainkey.example.org",
  type: "cloudflare:index/dnsRecord:DnsRecord",
  parent: STACK,
  inputs: { name: "s1._domainkey", type: "TXT", content: "v=DKIM1; p=..." },
  dependencies: [keyUrn("example.org", "s1")],
};

function deployment() {
  return {
    manifest: { time: "2026-01-01T00:00:00Z" },
    resources: [
      { urn: STACK, type: "pulumi:pulumi:Stack" },
      key("example.com", "s1"),
      key("example.com", "s0"),
      zone("example.com", [keyUrn("example.com", "s1")]),
      key("example.org", "s1"),
      cloudflare,
    ],
  };
}

describe("maildns migrate-state: keys move into their zone resource", () => {
  test("a published key, and the retired key of the same domain, move with their spec; the record becomes the marker", () => {
    const { deployment: out, result } = migrateDeployment(deployment());
    expect(result.moves).toEqual([
      { selector: "s1", key: keyUrn("example.com", "s1"), into: urn("ZoneFile", "zonefile-example.com") },
      { selector: "s0", key: keyUrn("example.com", "s0"), into: urn("ZoneFile", "zonefile-example.com") },
    ]);
    expect(result.kept).toEqual([{ key: keyUrn("example.org", "s1"), why: "its record is cloudflare:index/dnsRecord:DnsRecord, not a zone file" }]);
    const resources = out.resources as { urn: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; dependencies?: string[]; propertyDependencies?: Record<string, string[]>; additionalSecretOutputs?: string[] }[];
    expect(resources.map((r) => r.urn)).toEqual([STACK, urn("ZoneFile", "zonefile-example.com"), keyUrn("example.org", "s1"), cloudflare.urn]);
    const z = resources[1];
    expect(z?.outputs?.publicKeys).toEqual({ s1: MOCK_PUBLIC_KEY, s0: MOCK_PUBLIC_KEY });
    expect(z?.outputs?.privateKeys).toEqual(secret({ s1: "rsa-p:example.com-s1", s0: "rsa-p:example.com-s0" }));
    expect(z?.inputs?.keys).toEqual({ s1: { keyBits: 2048 }, s0: { keyBits: 2048 } });
    expect((z?.inputs?.rrsets as Record<string, { rdata: string[] }>)["s1._domainkey TXT"]?.rdata).toEqual([generatedKeyMarker("s1")]);
    // What the zone resource wrote is unchanged: the digests are of the files' content.
    expect(z?.outputs?.digests).toEqual(zone("example.com", []).outputs.digests);
    expect(z?.dependencies).toEqual([]);
    expect(z?.propertyDependencies).toEqual({ rrsets: [], origin: [] });
    expect(z?.additionalSecretOutputs).toEqual(["privateKeys"]);
    // The Cloudflare domain's key and its dependency are as they were.
    expect(resources[3]).toEqual(cloudflare);
  });

  test("the moved state reads as the same records in the policy view: the marker with the held key is the key's DKIM record", () => {
    const before = viewFromResources([{ type: "pulumi-nodejs:dynamic/maildns:ZoneFile", name: "zonefile-example.com", props: { ...zone("example.com", []).outputs, ...zone("example.com", []).inputs } }]);
    const moved = migrateDeployment(deployment()).deployment.resources as { type: string; urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
    const z = moved[1] as (typeof moved)[number];
    const after = viewFromResources([{ type: z.type, name: "zonefile-example.com", props: { ...z.outputs, ...z.inputs }, outputs: z.outputs }]);
    const dkim = (v: typeof before) => v.view.records.filter((r) => r.name === "s1._domainkey.example.com").map((r) => r.values);
    expect(dkim(after)).toEqual(dkim(before));
    expect(dkim(after)).toEqual([[generatedKeyRecord(MOCK_PUBLIC_KEY)]]);
    // Without the held key (a preview that creates it) the value is unknown, not a wrong record.
    const unknown = viewFromResources([{ type: z.type, name: "zonefile-example.com", props: z.inputs }]);
    expect(unknown.view.records.find((r) => r.name === "s1._domainkey.example.com")).toMatchObject({ values: [], unknownValues: 1 });
  });

  test("refused, changing nothing: an export without --show-secrets, an interrupted operation, a selector the zone already holds", () => {
    const encrypted = deployment();
    (encrypted.resources[1] as ReturnType<typeof key>).outputs.privateKeyPem = { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" } as never;
    expect(() => migrateDeployment(encrypted)).toThrow(/private key is encrypted in the export; the state must be exported with --show-secrets/);
    expect(() => migrateDeployment({ ...deployment(), pending_operations: [{ type: "creating" }] })).toThrow(/interrupted; run `pulumi refresh`/);
    const twice = migrateDeployment(deployment()).deployment;
    const again = { ...twice, resources: [...(twice.resources as object[]), key("example.com", "s1")] };
    (again.resources[1] as { dependencies: string[] }).dependencies = [keyUrn("example.com", "s1")];
    expect(() => migrateDeployment(again)).toThrow(/already holds a key for selector s1/);
  });

  test("RFC 2136: the key moves into the Rfc2136Records that sends its record; the record (as sent) becomes the marker", () => {
    const records = {
      urn: urn("Rfc2136Records", "domain-example.net-records-example.net"),
      type: "pulumi-nodejs:dynamic/maildns:Rfc2136Records",
      parent: STACK,
      inputs: { zone: "example.net", rrsets: [{ name: "s1._domainkey.example.net", type: "TXT", ttl: 3600, values: [generatedKeyRecord(MOCK_PUBLIC_KEY)] }] },
      outputs: { zone: "example.net", rrsets: [{ name: "s1._domainkey.example.net", type: "TXT", ttl: 3600, values: [generatedKeyRecord(MOCK_PUBLIC_KEY)] }] },
      dependencies: [keyUrn("example.net", "s1")],
      propertyDependencies: { rrsets: [keyUrn("example.net", "s1")] },
    };
    const { deployment: out, result } = migrateDeployment({ resources: [{ urn: STACK, type: "pulumi:pulumi:Stack" }, key("example.net", "s1"), records] });
    expect(result.moves).toEqual([{ selector: "s1", key: keyUrn("example.net", "s1"), into: records.urn }]);
    const r = (out.resources as (typeof records & { outputs: Record<string, unknown>; inputs: Record<string, unknown> })[])[1];
    expect(r?.inputs.rrsets).toEqual([{ name: "s1._domainkey.example.net", type: "TXT", ttl: 3600, values: [generatedKeyMarker("s1")] }]);
    // The outputs are what the server holds: the record itself stays there.
    expect(r?.outputs.rrsets).toEqual(records.outputs.rrsets);
    expect(r?.outputs.publicKeys).toEqual({ s1: MOCK_PUBLIC_KEY });
    expect(r?.outputs.privateKeys).toEqual(secret({ s1: "rsa-p:example.net-s1" }));
  });

  test("a state with nothing to move is left as it is", () => {
    const none = { resources: [{ urn: STACK, type: "pulumi:pulumi:Stack" }, key("example.org", "s1"), cloudflare] };
    const { deployment: out, result } = migrateDeployment(none);
    expect(result.moves).toEqual([]);
    expect(out.resources).toEqual(none.resources);
  });
});

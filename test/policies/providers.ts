import { generateKeyPairSync } from "node:crypto";
import { relativeName } from "../../lib/names";
import { RecordType } from "../../lib/records";
import { StackResource } from "../../policies/resources";
import { toContent, toTlsaData } from "../../zones/cloudflare";
import { toRoute53Value } from "../../zones/route53";
import { zoneFileRdata } from "../../zones/zonefile";

/** Provider-neutral records, turned into each provider's resources the way a program would declare them. */
export interface Rec {
  name: string;
  type: RecordType;
  values: string[];
  proxied?: boolean;
  /** Write the provider's raw value instead (for malformed provider input). */
  raw?: string;
}

export type ProviderKind = "cloudflare" | "cloudflare-record" | "route53" | "zonefile" | "zonefile-0.1" | "rfc2136" | "rfc2136-0.1";
export const PROVIDERS: ProviderKind[] = ["cloudflare", "cloudflare-record", "route53", "zonefile", "zonefile-0.1", "rfc2136", "rfc2136-0.1"];

function zoneOf(name: string): string {
  if (name.endsWith(".in-addr.arpa")) return "2.0.192.in-addr.arpa";
  return name === "example.net" || name.endsWith(".example.net") ? "example.net" : "example.com";
}

export function toResources(kind: ProviderKind, recs: Rec[]): StackResource[] {
  const zones = [...new Set(["example.com", ...recs.map((r) => zoneOf(r.name))])];
  const out: StackResource[] = [];
  let n = 0;
  const urn = (t: string, name: string) => `urn:pulumi:test::maildns::${t}::${name}`;
  const add = (type: string, props: Record<string, unknown>) => {
    const name = `r${n++}`;
    out.push({ type, name, urn: urn(type, name), props });
  };
  switch (kind) {
    case "cloudflare":
    case "cloudflare-record": {
      const type = kind === "cloudflare" ? "cloudflare:index/dnsRecord:DnsRecord" : "cloudflare:index/record:Record";
      for (const z of zones) add("cloudflare:index/zone:Zone", { name: z });
      for (const r of recs) {
        for (const v of r.values) {
          const props: Record<string, unknown> = { zoneId: `id-${zoneOf(r.name)}`, name: r.name, type: r.type, ttl: 3600, proxied: r.proxied ?? false };
          // TLSA has no content: its fields are in `data`.
          if (r.type === "TLSA" && r.raw === undefined) props.data = toTlsaData(r, v);
          else props.content = r.raw ?? toContent(r, v);
          if (r.type === "MX") props.priority = Number(v.split(" ")[0]);
          add(type, props);
        }
      }
      break;
    }
    case "route53":
      for (const z of zones) add("aws:route53/zone:Zone", { name: z });
      for (const r of recs) add("aws:route53/record:Record", { zoneId: `Z-${zoneOf(r.name)}`, name: r.name, type: r.type, ttl: 3600, records: r.raw ? [r.raw] : r.values.map((v) => toRoute53Value(r, v)), allowOverwrite: false });
      break;
    case "zonefile":
      // What maildns registers: the zone resource holds its first caller's record sets; each later
      // caller's are one ZoneFileRecords (here: the reverse zone's, for both shapes to be read).
      for (const z of zones) {
        const rrsets: Record<string, { ttl: number; rdata: string[] }> = {};
        for (const r of recs.filter((x) => zoneOf(x.name) === z)) rrsets[`${relativeName(r.name, z)} ${r.type}`] = { ttl: 3600, rdata: r.raw ? [r.raw] : r.values.map((v) => zoneFileRdata(r, v)) };
        const inline = !z.endsWith(".arpa");
        add("pulumi-nodejs:dynamic/maildns:ZoneFile", { origin: z, path: `zonefiles/${z}.zone`, ...(inline ? { rrsets } : {}) });
        if (!inline && Object.keys(rrsets).length) add("pulumi-nodejs:dynamic/maildns:ZoneFileRecords", { origin: z, path: `zonefiles/${z}.zone`, rrsets });
      }
      break;
    case "zonefile-0.1":
      // State written by 0.1: one ZoneFileRecordSet per RRset.
      for (const z of zones) add("pulumi-nodejs:dynamic/maildns:ZoneFile", { origin: z, path: `zonefiles/${z}.zone` });
      for (const r of recs) {
        const z = zoneOf(r.name);
        add("pulumi-nodejs:dynamic/maildns:ZoneFileRecordSet", { origin: z, path: `zonefiles/${z}.zone`, rrset: { owner: relativeName(r.name, z), type: r.type, ttl: 3600, rdata: r.raw ? [r.raw] : r.values.map((v) => zoneFileRdata(r, v)) } });
      }
      break;
    case "rfc2136":
      for (const z of zones) {
        const rrsets = recs.filter((x) => zoneOf(x.name) === z).map((r) => ({ name: r.name, type: r.type, ttl: 3600, values: r.values }));
        if (rrsets.length) add("pulumi-nodejs:dynamic/maildns:Rfc2136Records", { server: "127.0.0.1:53", zone: z, keyName: "k", rrsets });
      }
      break;
    case "rfc2136-0.1":
      for (const r of recs) add("pulumi-nodejs:dynamic/maildns:Rfc2136RecordSet", { server: "127.0.0.1:53", zone: zoneOf(r.name), keyName: "k", rrset: { name: r.name, type: r.type, ttl: 3600, values: r.values } });
      break;
  }
  return out;
}

const key = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
export const KEY_2048 = key(2048);
export const KEY_512 = key(512);

/** A clean mail domain every rule accepts. */
export const GOOD: Rec[] = [
  { name: "example.com", type: "MX", values: ["10 mx.example.com."] },
  { name: "mx.example.com", type: "A", values: ["192.0.2.10"] },
  { name: "example.com", type: "TXT", values: ["v=spf1 mx -all"] },
  { name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=reject; rua=mailto:dmarc@example.com"] },
  { name: "s1._domainkey.example.com", type: "TXT", values: [`v=DKIM1; k=rsa; p=${KEY_2048}`] },
  { name: "10.2.0.192.in-addr.arpa", type: "PTR", values: ["mx.example.com."] },
];

/** GOOD with the records at (name, type) replaced, plus extra records. */
export function variant(replace: Rec[], extra: Rec[] = []): Rec[] {
  const key = (r: Rec) => `${r.name} ${r.type}`;
  const replaced = new Set(replace.map(key));
  return [...GOOD.filter((r) => !replaced.has(key(r))), ...replace, ...extra];
}

import { KeySpecs, matchingKeys } from "../zones/held-keys";
import { canonicalName } from "../lib/names";
import { ptrName } from "../lib/reverse";
import { resolveGeneratedKey } from "../lib/dkim";
import { parseTxt, presentTxt, splitTxt } from "../lib/txt";
import { createView, DomainView, ViewRecord } from "../lib/view";
import { get, indexZones, isText, looksQualified, ownerName, readPlain, unescapeOctets, UNKNOWN, ZoneIndex, zoneOf } from "./zones";

/**
 * The second view builder: stack resources (policy pack, `pulumi preview
 * --json`, `pulumi stack export`) normalised into the domain view once.
 * Provider-specific shapes end here; the rules never see them.
 */
export interface StackResource {
  type: string;
  name: string;
  urn?: string;
  /** The provider's id, in state after a deploy. */
  id?: string;
  /** Inputs (preview) or inputs over outputs (state). */
  props: Record<string, unknown>;
  /** Outputs alone, when the source has them (the full name a provider returns). */
  outputs?: Record<string, unknown>;
  /** Property → the URNs (or resources, from the policy SDK) it depends on. */
  propertyDependencies?: Record<string, readonly (string | { urn?: string })[]>;
}

export interface ViewSettings {
  /** Zone id → zone name, for record zone ids from outside the stack (e.g. cloudflare.getZone). */
  zones?: Record<string, string>;
}

export interface StackView {
  view: DomainView;
  /** Values that could not be read (unknown during preview, relative names): skipped, with why. */
  notes: { urn?: string; subject: string; note: string }[];
}

export { UNKNOWN_SENTINEL } from "./zones";

export const RESOURCE_TYPES = {
  cloudflare: ["cloudflare:index/dnsRecord:DnsRecord", "cloudflare:index/record:Record"],
  route53: ["aws:route53/record:Record"],
  eipDomainName: ["aws:ec2/eipDomainName:EipDomainName"],
  zonefileSet: ["pulumi-nodejs:dynamic/maildns:ZoneFileRecordSet"],
  zonefileRecords: ["pulumi-nodejs:dynamic/maildns:ZoneFileRecords"],
  rfc2136Records: ["pulumi-nodejs:dynamic/maildns:Rfc2136Records"],
  zonefile: ["pulumi-nodejs:dynamic/maildns:ZoneFile"],
  rfc2136Set: ["pulumi-nodejs:dynamic/maildns:Rfc2136RecordSet"],
  zones: ["cloudflare:index/zone:Zone", "aws:route53/zone:Zone"],
} as const;

export function viewFromResources(resources: readonly StackResource[], settings: ViewSettings = {}): StackView {
  const records: ViewRecord[] = [];
  const zones: string[] = [];
  const zoneIndex = indexZones(resources, settings.zones);
  const notes: StackView["notes"] = [];
  const skip = (r: StackResource, subject: string, note: string) => notes.push({ urn: r.urn, subject, note });
  const eipAddress = new Map<string, string>();
  for (const r of resources) {
    if (r.type === "aws:ec2/eip:Eip") {
      const id = get(r.props, "allocationId") ?? get(r.props, "id");
      const ip = get(r.props, "publicIp");
      if (isText(id) && isText(ip)) eipAddress.set(id, ip);
    }
  }
  for (const r of resources) {
    const t = r.type;
    if ((RESOURCE_TYPES.zones as readonly string[]).includes(t)) {
      const z = get(r.props, "name") ?? get(r.props, "zone");
      if (isText(z)) zones.push(canonicalName(z));
    } else if ((RESOURCE_TYPES.zonefile as readonly string[]).includes(t)) {
      const z = get(r.props, "origin");
      if (isText(z)) zones.push(canonicalName(z));
      // Since 0.2 the zone resource also holds its first caller's record sets.
      if (get(r.props, "rrsets") !== undefined || get(r.props, "digests") !== undefined) recordSetMap(r, records, skip);
    } else if ((RESOURCE_TYPES.cloudflare as readonly string[]).includes(t)) {
      const rawName = get(r.props, "name");
      const type = get(r.props, "type");
      const content = get(r.props, "content") ?? get(r.props, "value");
      if (!isText(rawName) || !isText(type)) { skip(r, r.name, "name or type unknown during preview"); continue; }
      const name = fullName(r, rawName, "cloudflare", zoneIndex);
      if (typeof name !== "string") { skip(r, `${rawName} ${type}`, name.why); continue; }
      const base = { name, type: type.toUpperCase(), source: r.urn ?? r.name, proxied: get(r.props, "proxied") === true };
      const data = get(r.props, "data");
      if (base.type === "TLSA" && data && typeof data === "object") {
        // Cloudflare keeps a TLSA record's fields in `data`: read back as "usage selector matching-type hex".
        const value = tlsaFromData(data as Record<string, unknown>);
        if (value === undefined) { records.push({ ...base, values: [], unknownValues: 1 }); skip(r, `${base.name} TLSA`, "data unknown during preview"); continue; }
        records.push({ ...base, values: [value] });
        continue;
      }
      if (!isText(content) && data && typeof data === "object") { records.push({ ...base, values: [JSON.stringify(data)] }); continue; }
      if (!isText(content)) { records.push({ ...base, values: [], unknownValues: 1 }); skip(r, `${base.name} ${base.type}`, "content unknown during preview"); continue; }
      if (base.type === "TXT") {
        // Quoted character-strings, or unquoted text (the provider accepts both).
        const quoted = content.trim().startsWith('"');
        const strings = quoted ? parseTxtSafe(content) : [content];
        records.push({ ...base, values: [strings.join("")], strings: [strings] });
      } else if (base.type === "MX") {
        const prio = get(r.props, "priority");
        records.push({ ...base, values: [`${typeof prio === "number" ? prio : 0} ${content === "." || content === "" ? "." : `${canonicalName(content)}.`}`] });
      } else if (base.type === "CNAME" || base.type === "PTR") {
        records.push({ ...base, values: [`${canonicalName(content)}.`] });
      } else {
        records.push({ ...base, values: [content] });
      }
    } else if ((RESOURCE_TYPES.route53 as readonly string[]).includes(t)) {
      const rawName = get(r.props, "name");
      const type = get(r.props, "type");
      const values = get(r.props, "records");
      if (!isText(rawName) || !isText(type)) { skip(r, r.name, "name or type unknown during preview"); continue; }
      const name = fullName(r, rawName, "route53", zoneIndex);
      if (typeof name !== "string") { skip(r, `${rawName === "" ? '""' : rawName} ${type}`, name.why); continue; }
      const setId = get(r.props, "setIdentifier");
      const base = { name, type: type.toUpperCase(), ttl: numberOr(get(r.props, "ttl")), source: r.urn ?? r.name, ...(isText(setId) ? { set: setId } : {}) };
      const aliases = get(r.props, "aliases") ?? get(r.props, "alias");
      const alias = Array.isArray(aliases) ? aliases[0] : aliases;
      if (alias && typeof alias === "object") {
        // An alias answers with another record's values: an address for A/AAAA, unknown here.
        const target = (alias as { name?: unknown }).name;
        records.push({ ...base, values: [], alias: isText(target) ? canonicalName(target) : "(unknown)" });
        continue;
      }
      if (!Array.isArray(values)) { records.push({ ...base, values: [], unknownValues: 1 }); continue; }
      const known = values.filter(isText);
      if (known.length < values.length) skip(r, `${base.name} ${base.type}`, `${values.length - known.length} value(s) unknown during preview`);
      if (base.type === "TXT") {
        const strings = known.map((v) => v.split('""').map((s) => s.replace(/\\(.)/g, "$1")));
        records.push({ ...base, values: strings.map((s) => s.join("")), strings, unknownValues: values.length - known.length });
      } else if (base.type === "CNAME" || base.type === "PTR") {
        records.push({ ...base, values: known.map((v) => `${canonicalName(v)}.`), unknownValues: values.length - known.length });
      } else {
        records.push({ ...base, values: known, unknownValues: values.length - known.length });
      }
    } else if ((RESOURCE_TYPES.zonefileSet as readonly string[]).includes(t)) {
      const origin = get(r.props, "origin");
      const rrset = get(r.props, "rrset") as { owner?: unknown; type?: unknown; ttl?: unknown; rdata?: unknown } | typeof UNKNOWN;
      if (!isText(origin) || rrset === UNKNOWN || !rrset || !isText(rrset.owner) || !isText(rrset.type)) { skip(r, r.name, "record set unknown during preview"); continue; }
      records.push(zoneFileRecord(r, origin, rrset.owner, rrset.type, rrset.ttl, Array.isArray(rrset.rdata) ? rrset.rdata.filter(isText) : []));
    } else if ((RESOURCE_TYPES.zonefileRecords as readonly string[]).includes(t)) {
      recordSetMap(r, records, skip);
    } else if ((RESOURCE_TYPES.rfc2136Records as readonly string[]).includes(t)) {
      const zone = get(r.props, "zone");
      if (isText(zone)) zones.push(canonicalName(zone));
      const rrsets = readPlain(get(r.props, "rrsets"));
      if (!Array.isArray(rrsets)) { skip(r, r.name, "record sets unknown during preview"); continue; }
      const held = heldPublicKeys(r);
      for (const rr of rrsets as { name?: unknown; type?: unknown; ttl?: unknown; values?: unknown }[]) {
        if (!rr || !isText(rr.name) || !isText(rr.type)) { skip(r, r.name, "record set unknown during preview"); continue; }
        records.push(rfc2136Record(r, rr.name, rr.type, rr.ttl, Array.isArray(rr.values) ? rr.values.map((v) => resolveGeneratedKey(v, held)) : rr.values));
      }
    } else if ((RESOURCE_TYPES.rfc2136Set as readonly string[]).includes(t)) {
      const zone = get(r.props, "zone");
      if (isText(zone)) zones.push(canonicalName(zone));
      const rrset = get(r.props, "rrset") as { name?: unknown; type?: unknown; ttl?: unknown; values?: unknown } | typeof UNKNOWN;
      if (rrset === UNKNOWN || !rrset || !isText(rrset.name) || !isText(rrset.type)) { skip(r, r.name, "record set unknown during preview"); continue; }
      records.push(rfc2136Record(r, rrset.name, rrset.type, rrset.ttl, rrset.values));
    } else if ((RESOURCE_TYPES.eipDomainName as readonly string[]).includes(t)) {
      const alloc = get(r.props, "allocationId");
      const host = get(r.props, "domainName");
      const ip = isText(alloc) ? eipAddress.get(alloc) : undefined;
      if (!isText(host) || !ip) { skip(r, r.name, "the Elastic IP's address is not known here"); continue; }
      records.push({ name: ptrName(ip), type: "PTR", values: [`${canonicalName(host)}.`], source: r.urn ?? r.name });
    }
  }
  // Cloudflare has one resource per value: the rules read several records per name and type alike.
  return { view: createView(records, { zones: [...new Set(zones)] }), notes };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** maildns's zone resources that generate and keep DKIM keys (zones/zonefile-provider.ts). */
const KEY_HOLDERS = new Set<string>([...RESOURCE_TYPES.zonefile, ...RESOURCE_TYPES.zonefileRecords, ...RESOURCE_TYPES.rfc2136Records]);

/**
 * A preview gives a changed or unchanged resource's planned state without
 * outputs, so a zone resource's keys are not in it: the keys it keeps are
 * the ones its state holds that still match what the inputs ask for (the
 * provider's own test, matchingKeys); a key it will make is left unknown.
 */
export function withKeptKeys(before: StackResource, after: StackResource): StackResource {
  if (!KEY_HOLDERS.has(after.type) || (after.outputs && "publicKeys" in after.outputs)) return after;
  const held = (before.outputs ?? before.props).publicKeys;
  const specs = after.props.keys;
  if (!isRecord(held) || !isRecord(specs)) return after;
  return { ...after, props: { ...after.props, publicKeys: matchingKeys(specs as KeySpecs, held) } };
}

/** The record sets of a zone-file resource (`rrsets`: "<owner> <type>" → { ttl, rdata }). */
function recordSetMap(r: StackResource, records: ViewRecord[], skip: (r: StackResource, subject: string, note: string) => void): void {
  const origin = get(r.props, "origin");
  const rrsets = readPlain(get(r.props, "rrsets")) as Record<string, { ttl?: unknown; rdata?: unknown }> | typeof UNKNOWN;
  if (rrsets === undefined && get(r.props, "digests") !== undefined) {
    // Outputs alone keep a digest of each record set; the pack reads the record sets from the inputs.
    skip(r, r.name, "record sets not read: the maildns-record-inputs policy reads them from the resource's inputs (is it disabled?)");
    return;
  }
  if (!isText(origin) || rrsets === UNKNOWN || !rrsets || typeof rrsets !== "object") {
    skip(r, r.name, "record sets unknown during preview");
    return;
  }
  const publicKeys = heldPublicKeys(r);
  for (const [key, set] of Object.entries(rrsets)) {
    const at = key.lastIndexOf(" ");
    const owner = key.slice(0, at);
    const type = key.slice(at + 1);
    if (at <= 0 || !set || typeof set !== "object") {
      skip(r, key, "record set unknown during preview");
      continue;
    }
    const rdata = Array.isArray(set.rdata) ? set.rdata.map((x) => resolveGeneratedKey(x, publicKeys, presentTxt)).filter(isText) : [];
    const record = zoneFileRecord(r, origin, owner, type, set.ttl, rdata);
    const unknown = Array.isArray(set.rdata) ? set.rdata.length - rdata.length : 1;
    if (unknown > 0) skip(r, `${record.name} ${type}`, `${unknown} value(s) unknown during preview`);
    records.push(unknown > 0 ? { ...record, unknownValues: unknown } : record);
  }
}

/** The DKIM keys a zone resource generated: known once it exists (its outputs), not during the preview that creates it. */
function heldPublicKeys(r: StackResource): Record<string, unknown> {
  const held = readPlain(get(r.outputs ?? r.props, "publicKeys")) ?? readPlain(get(r.props, "publicKeys"));
  return held && typeof held === "object" ? (held as Record<string, unknown>) : {};
}

/** One RFC 2136 RRset (full owner name, values unsplit) as a view record. */
function rfc2136Record(r: StackResource, name: string, type: string, ttl: unknown, raw: unknown): ViewRecord {
  const values = Array.isArray(raw) ? raw.filter(isText) : [];
  const unknown = Array.isArray(raw) ? raw.length - values.length : 1;
  const base = { name: canonicalName(name), type, ttl: numberOr(ttl), source: r.urn ?? r.name, ...(unknown > 0 ? { unknownValues: unknown } : {}) };
  return type === "TXT" ? { ...base, values, strings: values.map((v) => splitTxt(v)) } : { ...base, values };
}

/** One zone-file RRset (owner relative to `origin`, RDATA in presentation form) as a view record. */
function zoneFileRecord(r: StackResource, origin: string, owner: string, type: string, ttl: unknown, rdata: string[]): ViewRecord {
  const base = { name: owner === "@" ? canonicalName(origin) : canonicalName(`${owner}.${origin}`), type, ttl: numberOr(ttl), source: r.urn ?? r.name };
  if (type !== "TXT") return { ...base, values: rdata };
  const strings = rdata.map(parseTxtSafe);
  return { ...base, values: strings.map((x) => x.join("")), strings };
}

/** The record's full owner name, or why it cannot be known here. */
function fullName(r: StackResource, raw: string, provider: "cloudflare" | "route53", idx: ZoneIndex): string | { why: string } {
  const z = zoneOf(r, idx);
  if (z.zone !== undefined) return ownerName(raw, z.zone, provider);
  // After a deploy the provider gives the full name (Route 53: fqdn).
  const returned = get(r.outputs, provider === "route53" ? "fqdn" : "name");
  if (isText(returned) && looksQualified(canonicalName(unescapeOctets(returned)))) return canonicalName(unescapeOctets(returned));
  const n = canonicalName(provider === "route53" ? unescapeOctets(raw) : raw);
  if (n !== "@" && n !== "" && looksQualified(n)) return n;
  return { why: `a name relative to its zone, and the zone is not known: ${z.why}` };
}

/** A Cloudflare TLSA `data` object in presentation form, or undefined while a field is unknown. */
function tlsaFromData(data: Record<string, unknown>): string | undefined {
  const field = (k: string) => readPlain(get(data, k));
  const [u, s, m, cert] = ["usage", "selector", "matchingType", "certificate"].map(field);
  const num = (x: unknown) => (typeof x === "number" ? String(x) : isText(x) ? x : undefined);
  if ([u, s, m].some((x) => num(x) === undefined) || !isText(cert)) return undefined;
  return `${num(u)} ${num(s)} ${num(m)} ${cert.replace(/\s+/g, "").toLowerCase()}`;
}

function parseTxtSafe(v: string): string[] {
  try {
    return parseTxt(v);
  } catch {
    return [v];
  }
}

function numberOr(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

import { MailDnsError } from "../lib/errors";
import { canonicalName, normalizeName, relativeName } from "../lib/names";
import type { ZoneRRset } from "./zonefile-format";

/** What a zone file says about itself: its nameservers, hostmaster and SOA timers. */
export interface ZoneHeaderArgs {
  /** Authoritative servers (NS), with glue addresses for names inside the zone. Default ns1.<zone> at 127.0.0.1. */
  nameservers?: { name: string; ipv4?: string[]; ipv6?: string[] }[];
  /** SOA RNAME as a mailbox, default hostmaster@<zone>. */
  hostmaster?: string;
  /** TTL of the SOA, NS and glue records (default 3600). */
  ttl?: number;
  soa?: { refresh?: number; retry?: number; expire?: number; minimum?: number };
}

/** The zone's own record sets: SOA (serial 0; the file's serial is set when it is written), NS, and glue for nameservers inside the zone. */
export function zoneHeader(zone: string, args: ZoneHeaderArgs): ZoneRRset[] {
  const ttl = args.ttl ?? 3600;
  const list = args.nameservers ?? [{ name: `ns1.${zone}`, ipv4: ["127.0.0.1"] }];
  if (list.length === 0) throw new MailDnsError("invalid-config", "a zone needs at least one nameserver", { domain: zone, field: "nameservers" });
  const ns = list.map((n, i) => ({ ...n, name: normalizeName(n.name, { field: `nameservers[${i}].name`, kind: "host" }) }));
  const [local, mailDomain] = (args.hostmaster ?? `hostmaster@${zone}`).split("@");
  const rname = `${(local ?? "hostmaster").replace(/\./g, "\\.")}.${canonicalName(mailDomain ?? zone)}.`;
  const s = { refresh: 3600, retry: 900, expire: 1209600, minimum: 300, ...args.soa };
  const out: ZoneRRset[] = [
    { owner: "@", type: "SOA", ttl, rdata: [`${(ns[0] as { name: string }).name}. ${rname} 0 ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`] },
    { owner: "@", type: "NS", ttl, rdata: ns.map((n) => `${n.name}.`) },
  ];
  for (const n of ns) {
    if (n.name !== zone && !n.name.endsWith(`.${zone}`)) continue;
    if (n.ipv4?.length) out.push({ owner: relativeName(n.name, zone), type: "A", ttl, rdata: n.ipv4 });
    if (n.ipv6?.length) out.push({ owner: relativeName(n.name, zone), type: "AAAA", ttl, rdata: n.ipv6 });
  }
  return out;
}

/**
 * The header a zone resource's inputs carry: none when it is the default one
 * (a zone whose config names no nameservers, hostmaster, TTL or SOA timers),
 * which the provider derives from the origin again (`headerOf`). Every zone
 * of a stack on the default header saves its ~260 bytes in the state, which
 * the file backend rewrites at every checkpoint.
 */
export function storedHeader(zone: string, header: ZoneRRset[]): ZoneRRset[] | undefined {
  return JSON.stringify(header) === JSON.stringify(zoneHeader(zone, {})) ? undefined : header;
}

/** A zone resource's header: the one in its inputs, or the default one of its origin. */
export function headerOf(inputs: { origin: string; header?: ZoneRRset[] }): ZoneRRset[] {
  return inputs.header ?? zoneHeader(inputs.origin, {});
}

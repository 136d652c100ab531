import * as pulumi from "@pulumi/pulumi";
import { mailDomainOutputs, MailDomainOutputs, prepareMailDomain } from "../components/mail-domain";
import { MailDomainArgs } from "../components/mail-domain-args";
import { MailDnsError, withField } from "../lib/errors";
import { canonicalName } from "../lib/names";
import { cloudflareZone } from "../zones/cloudflare";
import { route53Zone } from "../zones/route53";
import { zoneFile } from "../zones/zonefile";
import { rfc2136Zone } from "../zones/rfc2136";
import { ZoneHandle } from "../zones/zone";
import { DefaultsConfig, DomainConfig, domainEntryKey, StackConfig } from "./schema";

/** The TSIG secret of the rfc2136 backend: secret stack config, never plain. */
function tsigSecret(): pulumi.Output<string> {
  return new pulumi.Config("maildns").requireSecret("tsigSecret");
}

type Dns = DefaultsConfig["dns"];

export type DomainOutputs = MailDomainOutputs;

/** A zone handle per distinct (provider, apex), shared by every domain that uses it. */
function zoneFactory() {
  const cache = new Map<string, ZoneHandle>();
  return (dns: Dns, apex: string): ZoneHandle => {
    const key = `${JSON.stringify(dns)} ${apex}`;
    let z = cache.get(key);
    if (!z) {
      switch (dns.provider) {
        case "cloudflare": z = cloudflareZone({ name: apex, zoneId: dns.zoneId }); break;
        case "route53": z = route53Zone({ name: apex, zoneId: dns.zoneId, privateZone: dns.privateZone }); break;
        case "zonefile": z = zoneFile({ name: apex, directory: dns.directory, nameservers: dns.nameservers, hostmaster: dns.hostmaster, includes: dns.includes, dkimKeys: dns.dkimKeys }); break;
        case "rfc2136": z = rfc2136Zone({ name: apex, server: dns.server, key: { name: dns.keyName, secret: tsigSecret() }, timeoutMs: dns.timeoutMs, dkimKeys: dns.dkimKeys }); break;
      }
      cache.set(key, z);
    }
    return z;
  };
}

/**
 * Run `f`; a MailDnsError it throws is re-thrown about the stack-file key
 * that holds the mistake (`field` maps the error's own field to that key).
 */
function atKey<T>(f: () => T, field: (inner: string | undefined) => string): T {
  try {
    return f();
  } catch (e) {
    // A rule violation's field is a record (its subject), not an argument: the key is the domain's entry.
    if (e instanceof MailDnsError) throw withField(e, field(e.code === "rule-violation" ? undefined : e.field));
    throw e;
  }
}

/** The stack-file key of a MailDomain argument field of a domain whose entry is at `at`. */
function domainKey(at: string, d: DomainConfig, field: string | undefined): string {
  if (field === undefined || field === "" || field === "args") return at;
  const top = /^[a-zA-Z]+/.exec(field)?.[0] ?? "";
  const rest = field.replace(/\.ptr\.zones$/, ".ptr");
  if (top === "zone") return `${at}.${d.zone !== undefined ? "zone" : "domain"}`;
  if (top === "ttl") {
    const kind = field.split(".")[1] as keyof NonNullable<DomainConfig["ttl"]>;
    return d.ttl?.[kind] !== undefined ? `${at}.${field}` : `maildns:defaults.${field}`;
  }
  if (top === "dkim" || top === "dmarc" || top === "rules") return d[top] !== undefined ? `${at}.${rest}` : `maildns:defaults.${rest}`;
  return `${at}.${rest}`;
}

/**
 * The keys and records of each configured domain, registered without a
 * component around them (each resource is a checkpoint write on the file
 * backend); returns the outputs to export.
 */
export function runStack(config: StackConfig): Record<string, DomainOutputs> {
  return planStack(config)();
}

/**
 * `runStack` in two halves: every domain is checked now (a mistake in any
 * of them throws before a single resource exists); the returned function
 * registers them all and returns the outputs to export.
 */
export function planStack(config: StackConfig): () => Record<string, DomainOutputs> {
  const zoneOf = zoneFactory();
  const { defaults } = config;
  const entry = (i: number) => domainEntryKey(config, i);
  const dnsKey = (d: DomainConfig | undefined, i: number) => (d?.dns ? `${entry(i)}.dns` : "maildns:defaults.dns");
  const reverse = (defaults.reverseZones ?? []).map((r, j) =>
    atKey(() => zoneOf(r.zoneId ? ({ ...defaults.dns, zoneId: r.zoneId } as Dns) : defaults.dns, r.name), (f) => (f === "zone.name" ? `maildns:defaults.reverseZones[${j}].name` : `maildns:defaults.dns.${f}`)),
  );
  const managed = config.domains.map((d, i) => ({
    d,
    i,
    zone: atKey(() => zoneOf(d.dns ?? defaults.dns, canonicalName(d.zone ?? d.domain)), (f) => (f === "zone.name" ? `${entry(i)}.${d.zone ? "zone" : "domain"}` : `${dnsKey(d, i)}.${f}`)),
  }));
  const managedZones = managed.map((m) => m.zone);
  const prepared = managed.map(({ d, i, zone }) => {
    const at = (f: string | undefined) => domainKey(entry(i), d, f);
    const md = atKey(() => prepareMailDomain(`domain-${canonicalName(d.domain)}`, toArgs(d, defaults, zone, reverse, managedZones)), at);
    return () => atKey(() => md.register(), at);
  });
  return () => mailDomainOutputs(...prepared.map((register) => register()));
}

function toArgs(d: DomainConfig, defaults: DefaultsConfig, zone: ZoneHandle, reverse: ZoneHandle[], managedZones: ZoneHandle[]): MailDomainArgs {
  const dmarc = d.dmarc ?? defaults.dmarc;
  const args: MailDomainArgs = {
    domain: d.domain,
    zone,
    mailHosts: d.mailHosts?.map((h) => ({
      name: h.name, ipv4: h.ipv4, ipv6: h.ipv6, preference: h.preference, tlsa: h.tlsa,
      ptr: h.ptr || h.eipAllocationIds ? { zones: h.ptr ? reverse : undefined, eipAllocationIds: h.eipAllocationIds } : undefined,
    })),
    mx: d.mx,
    nullMx: d.nullMx,
    spf: d.spf,
    dkim: d.dkim ?? defaults.dkim,
    extraTxt: d.extraTxt,
    mtaSts: d.mtaSts ?? defaults.mtaSts,
    tlsRpt: d.tlsRpt ?? defaults.tlsRpt,
    bimi: d.bimi,
    ttl: { ...defaults.ttl, ...d.ttl },
    rules: d.rules ?? defaults.rules,
  };
  if (dmarc === false) args.dmarc = false;
  // The other zones of this stack: MailDomain puts the RFC 7489 §7.1 authorisation
  // of a report destination in the one that holds it.
  else if (dmarc) args.dmarc = { ...dmarc, reportZones: managedZones.filter((z) => z !== zone) };
  return args;
}

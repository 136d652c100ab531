import * as pulumi from "@pulumi/pulumi";
import { MailDomain, RecordOutput } from "../components/mail-domain";
import { MailDomainArgs } from "../components/mail-domain-args";
import { canonicalName } from "../lib/names";
import { cloudflareZone } from "../zones/cloudflare";
import { route53Zone } from "../zones/route53";
import { zoneFile } from "../zones/zonefile";
import { rfc2136Zone } from "../zones/rfc2136";
import { ZoneHandle } from "../zones/zone";
import { DefaultsConfig, DomainConfig, StackConfig } from "./schema";

/** The TSIG secret of the rfc2136 backend: secret stack config, never plain. */
function tsigSecret(): pulumi.Output<string> {
  return new pulumi.Config("maildns").requireSecret("tsigSecret");
}

type Dns = DefaultsConfig["dns"];

export interface DomainOutputs {
  records: pulumi.Output<RecordOutput[]>;
  dkim: pulumi.Output<{ selector: string; name: string; value: string }[]>;
}

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
        case "zonefile": z = zoneFile({ name: apex, directory: dns.directory, nameservers: dns.nameservers, hostmaster: dns.hostmaster }); break;
        case "rfc2136": z = rfc2136Zone({ name: apex, server: dns.server, key: { name: dns.keyName, secret: tsigSecret() }, timeoutMs: dns.timeoutMs }); break;
      }
      cache.set(key, z);
    }
    return z;
  };
}

/** One MailDomain per configured domain; returns the outputs to export. */
export function runStack(config: StackConfig): Record<string, DomainOutputs> {
  const zoneOf = zoneFactory();
  const { defaults } = config;
  const reverse = (defaults.reverseZones ?? []).map((r) => zoneOf(r.zoneId ? ({ ...defaults.dns, zoneId: r.zoneId } as Dns) : defaults.dns, r.name));
  const managed = config.domains.map((d) => ({ d, zone: zoneOf(d.dns ?? defaults.dns, canonicalName(d.zone ?? d.domain)) }));
  const managedZones = managed.map((m) => m.zone);
  const out: Record<string, DomainOutputs> = {};
  managed.forEach(({ d, zone }) => {
    const args = toArgs(d, defaults, zone, reverse, managedZones);
    const md = new MailDomain(`domain-${canonicalName(d.domain)}`, args);
    out[md.domain] = { records: md.records, dkim: md.dkimRecords };
  });
  return out;
}

function toArgs(d: DomainConfig, defaults: DefaultsConfig, zone: ZoneHandle, reverse: ZoneHandle[], managedZones: ZoneHandle[]): MailDomainArgs {
  const dmarc = d.dmarc ?? defaults.dmarc;
  const args: MailDomainArgs = {
    domain: d.domain,
    zone,
    mailHosts: d.mailHosts?.map((h) => ({
      name: h.name, ipv4: h.ipv4, ipv6: h.ipv6, preference: h.preference,
      ptr: h.ptr || h.eipAllocationIds ? { zones: h.ptr ? reverse : undefined, eipAllocationIds: h.eipAllocationIds } : undefined,
    })),
    mx: d.mx,
    nullMx: d.nullMx,
    spf: d.spf,
    dkim: d.dkim ?? defaults.dkim,
    extraTxt: d.extraTxt,
    ttl: { ...defaults.ttl, ...d.ttl },
    rules: d.rules ?? defaults.rules,
  };
  if (dmarc === false) args.dmarc = false;
  // The other zones of this stack: MailDomain puts the RFC 7489 §7.1 authorisation
  // of a report destination in the one that holds it.
  else if (dmarc) args.dmarc = { ...dmarc, reportZones: managedZones.filter((z) => z !== zone) };
  return args;
}

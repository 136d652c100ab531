import { createHash } from "node:crypto";
import type * as cloudflare from "@pulumi/cloudflare";
import { cloudflareSdk } from "./provider-sdks";
import * as pulumi from "@pulumi/pulumi";
import { normalizeName } from "../lib/names";
import { isBimiRecord } from "../lib/bimi";
import { isDmarcRecord } from "../lib/dmarc";
import { isMtaStsRecord } from "../lib/mta-sts";
import { isTlsRptRecord } from "../lib/tlsrpt";
import { MailDnsError } from "../lib/errors";
import { requireMx } from "../lib/mx";
import { parseTlsa } from "../lib/tlsa";
import { isSpfRecord } from "../lib/spf";
import { quoteTxt, splitTxt } from "../lib/txt";
import { CAPABILITIES } from "./capabilities";
import { recordAliases, recordResourceName, ZoneHandle, ZoneRecordSet } from "./zone";

export interface CloudflareZoneArgs {
  /** The zone apex, e.g. "example.com". */
  name: string;
  /** The zone id; looked up by name (cloudflare.getZone) when omitted. */
  zoneId?: pulumi.Input<string>;
  /** An explicit provider (account token), else the default provider. */
  provider?: cloudflare.Provider;
}

/**
 * Cloudflare (cloudflare.DnsRecord, one resource per value). TXT content is
 * written as Cloudflare stores it — quoted character-strings of at most 255
 * octets separated by one space — so a refresh shows no drift; every record
 * is created with proxied=false.
 */
export function cloudflareZone(args: CloudflareZoneArgs): ZoneHandle {
  const zone = normalizeName(args.name, { field: "zone.name" });
  const invokeOpts = args.provider ? { provider: args.provider } : undefined;
  const zoneId: pulumi.Input<string> = args.zoneId ?? cloudflareSdk().getZoneOutput({ filter: { name: zone } }, invokeOpts).apply((z) => z.id);
  const txtStrings = (v: string) => splitTxt(v);
  return {
    provider: "cloudflare",
    zone,
    capabilities: CAPABILITIES.cloudflare,
    ttlRange: { min: 1, max: 86400 },
    txtStrings,
    createRecords(sets, opts) {
      return sets.flatMap((set) => {
        const roles = set.values.map((v) => roleOf(set, typeof v === "string" ? v : undefined));
        // Two values of one role in a set (invalid, reported by the rules) keep their hashed names.
        const unique = (r: string | undefined) => r !== undefined && roles.filter((x) => x === r).length === 1;
        return set.values.map((value, i) => {
          // Resource names hash the value, so reordering values replaces nothing; a record of
          // which only one may exist (SPF, DMARC, a DKIM key, a CNAME) is named by its role, so a
          // change is an update of the same record, never a second one created before the first
          // is deleted (receivers caching both would see a permerror). The alias keeps stacks
          // made when every value was named by its hash.
          const legacy = typeof value === "string" ? hash(value) : `v${i}`;
          const role = unique(roles[i]) ? roles[i] : undefined;
          const suffix = role ?? legacy;
          const recordArgs: cloudflare.DnsRecordArgs = {
            zoneId,
            name: set.name,
            type: set.type,
            ttl: set.ttl,
            proxied: false,
            comment: "managed by maildns",
          };
          // A TLSA record has no content: its fields go in `data` (the provider's DnsRecordData).
          if (set.type === "TLSA") recordArgs.data = mapInput(value, (v) => toTlsaData(set, v));
          else recordArgs.content = mapInput(value, (v) => toContent(set, v));
          if (set.type === "MX") recordArgs.priority = mapInput(value, (v) => mxOf(set, v).preference);
          return new (cloudflareSdk().DnsRecord)(recordResourceName(opts.namePrefix, set, suffix), recordArgs, {
            parent: opts.parent,
            aliases: recordAliases(opts, role ? [recordResourceName(opts.namePrefix, set, legacy)] : []),
            dependsOn: opts.dependsOn,
            ...(args.provider ? { provider: args.provider } : {}),
          });
        });
      });
    },
  };
}

/** Apply `f` to a plain value directly (so previews show it), or through the output. */
export function mapInput<T>(value: pulumi.Input<string>, f: (v: string) => T): pulumi.Input<T> {
  return typeof value === "string" ? f(value) : pulumi.output(value).apply(f);
}

/**
 * The role of a value of which a name holds one at most: "spf" (RFC 7208 §4.5),
 * "dmarc" (RFC 7489 §6.6.3), "dkim" (one key per selector), "cname" (RFC 2181 §10.1),
 * "mta-sts" (RFC 8461 §3.1), "tlsrpt" (RFC 8460 §3), "bimi" (one assertion per selector).
 * A generated DKIM key is not known yet (`value` undefined) but its name says it.
 */
export function roleOf(set: Pick<ZoneRecordSet, "name" | "type">, value: string | undefined): string | undefined {
  if (set.type === "CNAME") return "cname";
  if (set.type !== "TXT") return undefined;
  if (value !== undefined && isSpfRecord(value)) return "spf";
  if (set.name.split(".").includes("_domainkey")) return "dkim";
  if (value !== undefined && isDmarcRecord(value) && set.name.split(".").includes("_dmarc")) return "dmarc";
  if (value !== undefined && isMtaStsRecord(value) && set.name.startsWith("_mta-sts.")) return "mta-sts";
  if (value !== undefined && isTlsRptRecord(value) && set.name.startsWith("_smtp._tls.")) return "tlsrpt";
  if (value !== undefined && isBimiRecord(value) && set.name.includes("._bimi.")) return "bimi";
  return undefined;
}

function hash(v: string): string {
  return createHash("sha256").update(v).digest("hex").slice(0, 8);
}

function mxOf(set: Pick<ZoneRecordSet, "name">, v: string) {
  return requireMx(v, `${set.name} MX`);
}

/** The `data` of a TLSA record (RFC 6698 §2.1): the three fields and the association data as hex. */
export function toTlsaData(set: Pick<ZoneRecordSet, "name">, v: string): { usage: number; selector: number; matchingType: number; certificate: string } {
  const { tlsa, findings } = parseTlsa(v, `${set.name} TLSA`);
  if (!tlsa) throw new MailDnsError("invalid-config", findings.map((f) => f.message).join("; "), { field: `${set.name} TLSA`, value: v, ruleId: "tlsa-record-syntax", rfc: "RFC 6698 §2.2" });
  return { usage: tlsa.usage, selector: tlsa.selector, matchingType: tlsa.matchingType, certificate: tlsa.data };
}

/** The `content` Cloudflare stores for one value. */
export function toContent(set: Pick<ZoneRecordSet, "name" | "type">, v: string): string {
  switch (set.type) {
    case "TXT":
      return quoteTxt(splitTxt(v), { escapeNonAscii: false });
    case "MX": {
      const mx = mxOf(set, v);
      return mx.exchange === "" ? "." : mx.exchange;
    }
    case "CNAME":
    case "PTR":
      return v.replace(/\.$/, "");
    default:
      return v;
  }
}

import { createHash } from "node:crypto";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { normalizeName } from "../lib/names";
import { requireMx } from "../lib/mx";
import { quoteTxt, splitTxt } from "../lib/txt";
import { CAPABILITIES } from "./capabilities";
import { recordResourceName, ZoneHandle, ZoneRecordSet } from "./zone";

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
  const zoneId: pulumi.Input<string> = args.zoneId ?? cloudflare.getZoneOutput({ filter: { name: zone } }, invokeOpts).apply((z) => z.id);
  const txtStrings = (v: string) => splitTxt(v);
  return {
    provider: "cloudflare",
    zone,
    capabilities: CAPABILITIES.cloudflare,
    ttlRange: { min: 1, max: 86400 },
    txtStrings,
    createRecords(sets, opts) {
      return sets.flatMap((set) =>
        set.values.map((value, i) => {
          // Resource names hash the value, so reordering values replaces nothing.
          const suffix = typeof value === "string" ? hash(value) : `v${i}`;
          const recordArgs: cloudflare.DnsRecordArgs = {
            zoneId,
            name: set.name,
            type: set.type,
            ttl: set.ttl,
            content: mapInput(value, (v) => toContent(set, v)),
            proxied: false,
            comment: "managed by maildns",
          };
          if (set.type === "MX") recordArgs.priority = mapInput(value, (v) => mxOf(set, v).preference);
          return new cloudflare.DnsRecord(recordResourceName(opts.namePrefix, set, suffix), recordArgs, {
            parent: opts.parent,
            dependsOn: opts.dependsOn,
            ...(args.provider ? { provider: args.provider } : {}),
          });
        }),
      );
    },
  };
}

/** Apply `f` to a plain value directly (so previews show it), or through the output. */
export function mapInput<T>(value: pulumi.Input<string>, f: (v: string) => T): pulumi.Input<T> {
  return typeof value === "string" ? f(value) : pulumi.output(value).apply(f);
}

function hash(v: string): string {
  return createHash("sha256").update(v).digest("hex").slice(0, 8);
}

function mxOf(set: Pick<ZoneRecordSet, "name">, v: string) {
  return requireMx(v, `${set.name} MX`);
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

import type * as aws from "@pulumi/aws";
import { awsSdk } from "./provider-sdks";
import * as pulumi from "@pulumi/pulumi";
import { normalizeName } from "../lib/names";
import { splitTxt } from "../lib/txt";
import { CAPABILITIES } from "./capabilities";
import { mapInput } from "./cloudflare";
import { recordAliases, recordResourceName, ZoneHandle, ZoneRecordSet } from "./zone";

export interface Route53ZoneArgs {
  /** The hosted zone's apex, e.g. "example.com". */
  name: string;
  /** The hosted zone id; looked up by name (aws.route53.getZone) when omitted. */
  zoneId?: pulumi.Input<string>;
  privateZone?: boolean;
  provider?: aws.Provider;
}

/**
 * AWS Route 53 (aws.route53.Record, one record set per name and type holding
 * all its values, so SPF and site-verification TXT values share one resource).
 * The provider wraps each TXT value in quotes and never splits: values over
 * 255 octets are given as chunks joined with `""`. allowOverwrite stays false,
 * so a record set someone else created is never taken over.
 */
export function route53Zone(args: Route53ZoneArgs): ZoneHandle {
  const zone = normalizeName(args.name, { field: "zone.name" });
  const invokeOpts = args.provider ? { provider: args.provider } : undefined;
  const zoneId: pulumi.Input<string> =
    args.zoneId ?? awsSdk().route53.getZoneOutput({ name: zone, privateZone: args.privateZone ?? false }, invokeOpts).apply((z) => z.zoneId);
  return {
    provider: "route53",
    zone,
    capabilities: CAPABILITIES.route53,
    ttlRange: { min: 0, max: 2147483647 },
    txtStrings: (v) => splitTxt(v),
    createRecords(sets, opts) {
      return sets.map(
        (set) =>
          new (awsSdk().route53.Record)(
            recordResourceName(opts.namePrefix, set),
            {
              zoneId,
              name: set.name,
              type: set.type,
              ttl: set.ttl,
              records: set.values.map((v) => mapInput(v, (x) => toRoute53Value(set, x))),
              allowOverwrite: false,
            },
            { parent: opts.parent, aliases: recordAliases(opts), dependsOn: opts.dependsOn, ...(args.provider ? { provider: args.provider } : {}) },
          ),
      );
    },
  };
}

/** One value as the Route 53 provider takes it. */
export function toRoute53Value(set: Pick<ZoneRecordSet, "type">, v: string): string {
  switch (set.type) {
    case "TXT":
      // The provider adds the outer quotes; inner chunk boundaries are `""`.
      return splitTxt(v).map((s) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join('""');
    case "CNAME":
    case "PTR":
      return v.endsWith(".") ? v : `${v}.`;
    default:
      return v;
  }
}

import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "../lib/errors";
import { formatMx, requireMx } from "../lib/mx";
import { canonicalName, normalizeName, relativeName } from "../lib/names";
import { presentTxt, splitTxt } from "../lib/txt";
import { CAPABILITIES } from "./capabilities";
import { mapInput } from "./cloudflare";
import { storedHeader, zoneHeader, ZoneHeaderArgs } from "./zone-header";
import { MaildnsDynamicResource } from "./dynamic";
import type { KeySpecs, ZoneRecordsInputs } from "./zonefile-provider";
import { DkimKeyHolder, keysInZone, keySpecs, recordAliases, ZoneHandle, ZoneRecordSet } from "./zone";
import { generatedKeyMarker } from "../lib/dkim";

export interface ZoneFileArgs extends ZoneHeaderArgs {
  /** The zone apex, e.g. "example.com". */
  name: string;
  /** Folder of the zone files, relative to the Pulumi project (default "zonefiles"). */
  directory?: string;
  /**
   * Files of hand-written records, pulled into the zone with `$INCLUDE` and
   * never written by maildns. A path as the DNS server will read it: absolute,
   * or relative to the server's working directory (BIND's `directory`).
   */
  includes?: string[];
  /**
   * Where the DKIM keys of the domains in this zone live: "zone" (default),
   * generated and kept by the zone resource that publishes them, one resource
   * per domain; "resources", a DkimKeyPair resource per key (the earlier
   * layout, which `maildns migrate-state` moves to "zone").
   */
  dkimKeys?: "zone" | "resources";
}

class ZoneFileResource extends MaildnsDynamicResource implements DkimKeyHolder {
  declare readonly publicKeys: pulumi.Output<Record<string, string> | undefined>;
  declare readonly privateKeys: pulumi.Output<Record<string, string> | undefined>;
  constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super("zoneFile", "ZoneFile", name, inputs, opts);
  }
}

/** The record sets one caller (a mail domain) keeps in the zone: one resource, whatever their number. */
class ZoneFileRecords extends MaildnsDynamicResource implements DkimKeyHolder {
  declare readonly publicKeys: pulumi.Output<Record<string, string> | undefined>;
  declare readonly privateKeys: pulumi.Output<Record<string, string> | undefined>;
  constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super("zoneRecords", "ZoneFileRecords", name, inputs, opts);
  }
}

/**
 * RFC 1035 zone files, no account needed: one file per zone (SOA serial that
 * increases on every change, NS, every record; TXT quoted, escaped and split
 * at 255 octets), written atomically. `named-checkzone -k fail -m fail -M fail
 * -S fail` accepts what it writes. The zone's own resource, at the top of
 * the stack, is created by the first `createRecords` call and holds that
 * caller's record sets; each later call (another domain's records in this
 * zone, PTRs in a shared reverse zone) is one more resource holding all of
 * its record sets.
 */
export function zoneFile(args: ZoneFileArgs): ZoneHandle {
  const zone = normalizeName(args.name, { field: "zone.name" });
  const path = `${(args.directory ?? "zonefiles").replace(/\/$/, "")}/${zone}.zone`;
  const header = storedHeader(zone, zoneHeader(zone, args));
  const includes = (args.includes ?? []).map((f, i) => {
    if (typeof f !== "string" || f === "" || /["\n\r]/.test(f)) {
      throw new MailDnsError("invalid-config", "an include is a file path without quotes or line breaks", { domain: zone, field: `includes[${i}]`, value: f, rfc: "RFC 1035 §5.1" });
    }
    return f;
  });
  const holdsKeys = keysInZone(args.dkimKeys, zone);
  const root = projectRoot();
  let resource: ZoneFileResource | undefined;
  return {
    provider: "zonefile",
    zone,
    capabilities: CAPABILITIES.zonefile,
    ttlRange: { min: 0, max: 2147483647 },
    txtStrings: (v) => splitTxt(v),
    groupsRecordSets: true,
    holdsKeys,
    createRecords(sets, opts) {
      if (sets.length === 0) return [];
      // A plain map with each value an input of its own: a value unknown during
      // preview leaves every other record readable.
      const rrsets: Record<string, { ttl: number; rdata: pulumi.Input<string>[] }> = {};
      // The DKIM keys this resource generates: a generated key's value is its marker until the provider makes it.
      const keys: KeySpecs = keySpecs(sets);
      for (const set of sets) {
        const key = `${relativeName(set.name, zone)} ${set.type}`;
        if (rrsets[key]) throw new MailDnsError("invalid-config", "the same record set is given twice to one zone", { domain: zone, field: opts.namePrefix, value: key, ruleId: "duplicate-record" });
        rrsets[key] = { ttl: set.ttl, rdata: [...set.values.map((v) => mapInput(v, (x) => zoneFileRdata(set, x))), ...(set.generatedKeys ?? []).map((k) => generatedKeyMarker(k.selector))] };
      }
      // The private keys are a secret output; undefined inputs declare the outputs.
      const held = { keys, publicKeys: undefined, privateKeys: undefined };
      if (!resource) {
        // The zone's own resource writes its first caller's record sets too: one resource fewer per domain.
        resource = new ZoneFileResource(`zonefile-${zone}`, {
          root, path, origin: zone, header, owner: `${pulumi.getProject()}/${pulumi.getStack()}`, includes: includes.length ? includes : undefined, rrsets, ...held,
        }, { dependsOn: opts.dependsOn, additionalSecretOutputs: ["privateKeys"] });
        return [resource];
      }
      const inputs = { root, path, origin: zone, rrsets, keys } satisfies Record<keyof ZoneRecordsInputs, unknown>;
      return [new ZoneFileRecords(`${opts.namePrefix}-records-${zone}`, { ...inputs, ...held }, {
        parent: opts.parent,
        aliases: recordAliases(opts),
        dependsOn: [resource, ...((opts.dependsOn as pulumi.Resource[] | undefined) ?? [])],
        additionalSecretOutputs: ["privateKeys"],
      })];
    },
  };
}

/**
 * The Pulumi project's directory: the engine's answer when it is a real
 * directory holding Pulumi.yaml (older language hosts do not send one), else
 * the nearest directory above the working directory that holds Pulumi.yaml.
 */
export function projectRoot(): string {
  const isProject = (d: string) => existsSync(join(d, "Pulumi.yaml")) || existsSync(join(d, "Pulumi.yml"));
  try {
    const r = pulumi.runtime.getRootDirectory();
    if (r && isAbsolute(r) && isProject(r)) return r;
  } catch {
    // not running under the engine
  }
  for (let d = process.cwd(); ; d = dirname(d)) {
    if (isProject(d)) return d;
    if (dirname(d) === d) return process.cwd();
  }
}

/** One value in zone-file presentation form. */
export function zoneFileRdata(set: Pick<ZoneRecordSet, "name" | "type">, v: string): string {
  switch (set.type) {
    case "TXT":
      return presentTxt(v);
    case "MX":
      return formatMx(requireMx(v, `${set.name} MX`));
    case "CNAME":
    case "PTR":
    case "NS":
      return `${canonicalName(v)}.`;
    default:
      return v;
  }
}

import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "../lib/errors";
import { normalizeName } from "../lib/names";
import { parseServer } from "../lib/resolver";
import { splitTxt } from "../lib/txt";
import { CAPABILITIES } from "./capabilities";
import { mapInput } from "./cloudflare";
import { MaildnsDynamicResource } from "./dynamic";
import type { Rfc2136RecordsInputs } from "./rfc2136-provider";
import { DkimKeyHolder, keysInZone, keySpecs, recordAliases, ZoneHandle } from "./zone";
import { generatedKeyMarker } from "../lib/dkim";

export interface Rfc2136ZoneArgs {
  /** The zone apex, e.g. "example.com". */
  name: string;
  /** The primary server, "host:port" (BIND, Knot, PowerDNS). */
  server: string;
  /** TSIG key (hmac-sha256); the secret should be a Pulumi secret. */
  key: { name: string; secret: pulumi.Input<string> };
  /** Per-message timeout (default 5000 ms). */
  timeoutMs?: number;
  /** "zone" (default): the records resource generates and keeps its domain's DKIM keys; "resources": a DkimKeyPair resource per key (the earlier layout). */
  dkimKeys?: "zone" | "resources";
}

/** The record sets one caller (a mail domain) keeps in the zone: one resource, one UPDATE per change. */
class Rfc2136Records extends MaildnsDynamicResource implements DkimKeyHolder {
  declare readonly publicKeys: pulumi.Output<Record<string, string> | undefined>;
  declare readonly privateKeys: pulumi.Output<Record<string, string> | undefined>;
  constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super("rfc2136Records", "Rfc2136Records", name, inputs, opts);
  }
}

/**
 * A zone on a live authoritative server, changed with RFC 2136 dynamic
 * update signed with TSIG (RFC 8945). One resource per caller (a mail
 * domain's record sets in this zone); record sets the stack did not create
 * are never overwritten.
 */
export function rfc2136Zone(args: Rfc2136ZoneArgs): ZoneHandle {
  const zone = normalizeName(args.name, { field: "zone.name" });
  const server = parseServer(args.server, "server");
  if (!/^[A-Za-z0-9.-]+$/.test(args.key?.name ?? "")) {
    throw new MailDnsError("invalid-config", "a TSIG key name is a domain name, e.g. maildns-key", { domain: zone, field: "key.name", value: args.key?.name, rfc: "RFC 8945 §4.2" });
  }
  const holdsKeys = keysInZone(args.dkimKeys, zone);
  const keySecret = pulumi.secret(args.key.secret);
  return {
    provider: "rfc2136",
    zone,
    capabilities: CAPABILITIES.rfc2136,
    ttlRange: { min: 0, max: 2147483647 },
    txtStrings: (v) => splitTxt(v),
    groupsRecordSets: true,
    holdsKeys,
    createRecords(sets, opts) {
      if (sets.length === 0) return [];
      // Each value an input of its own: one unknown during preview hides nothing else; a generated key's value is its marker.
      const rrsets = sets.map((set) => ({
        name: set.name, type: set.type, ttl: set.ttl,
        values: [...set.values.map((v) => mapInput(v, (x) => x)), ...(set.generatedKeys ?? []).map((k) => generatedKeyMarker(k.selector))],
      }));
      const keys = keySpecs(sets);
      const inputs = { server, zone, keyName: args.key.name.toLowerCase(), keySecret, timeoutMs: args.timeoutMs ?? 5000, rrsets, keys } satisfies Record<keyof Rfc2136RecordsInputs, unknown>;
      return [new Rfc2136Records(`${opts.namePrefix}-records-${zone}`, { ...inputs, publicKeys: undefined, privateKeys: undefined }, {
        parent: opts.parent, aliases: recordAliases(opts), dependsOn: opts.dependsOn, additionalSecretOutputs: ["privateKeys"],
      })];
    },
  };
}

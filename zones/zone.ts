import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "../lib/errors";
import { RecordType } from "../lib/records";
import type { KeySpecs } from "./held-keys";

/**
 * One small interface for every DNS provider. An adapter turns normalised
 * record sets into that provider's resources and declares what it can do in
 * a capability table that components and policies consult instead of
 * special-casing a provider.
 */
export type ProviderName = "cloudflare" | "route53" | "zonefile" | "rfc2136";

export type Capability =
  /** RFC 7505 "MX 0 ." */
  | "nullMx"
  /** PTR records in a reverse zone. */
  | "ptr"
  /** An HTTP proxy flag that must stay off for mail. */
  | "proxying"
  /** Splits TXT values over 255 octets into character-strings itself (else the adapter does). */
  | "txtAutoSplit"
  /** Holds all values of a name+type in one resource (an RRset), not one resource per value. */
  | "recordSetPerResource"
  /** Can create records without any cloud account. */
  | "offline"
  /** DANE TLSA records (RFC 6698) for the mail hosts (`_25._tcp.<host>`). */
  | "tlsa";

export type Support = "yes" | "no";
export type Capabilities = { readonly [C in Capability]: Support };

/** A record set whose values may be outputs (e.g. a DKIM key made in the same run). */
export interface ZoneRecordSet {
  name: string;
  type: RecordType;
  ttl: number;
  values: pulumi.Input<string>[];
  /** DKIM keys the zone resource generates, each published as one more value of this set (only where `holdsKeys`). */
  generatedKeys?: DkimKeySpec[];
  /** Keys the zone resource keeps without publishing them (a retired selector's, until it is removed). */
  retainedKeys?: DkimKeySpec[];
}

/** What key a zone resource generates for a selector: RSA of `keyBits`, or Ed25519. */
export interface DkimKeySpec {
  selector: string;
  algorithm?: "ed25519";
  keyBits?: number;
  allowWeakKey?: boolean;
}

/** The keys a zone resource makes for `sets` (generated and retained), as its `keys` input: selector → RSA size or Ed25519. */
export function keySpecs(sets: readonly ZoneRecordSet[]): KeySpecs {
  const keys: KeySpecs = {};
  for (const set of sets) {
    for (const k of [...(set.generatedKeys ?? []), ...(set.retainedKeys ?? [])]) {
      keys[k.selector] = k.algorithm === "ed25519" ? { algorithm: "ed25519" } : { keyBits: k.keyBits ?? 2048, ...(k.allowWeakKey ? { allowWeakKey: true } : {}) };
    }
  }
  return keys;
}

/**
 * The `dkimKeys` setting of a zone-file or RFC 2136 zone, checked: whether its
 * zone resources hold the DKIM keys ("zone", the default) or each key is a
 * DkimKeyPair resource ("resources").
 */
export function keysInZone(setting: unknown, zone: string): boolean {
  if (setting !== undefined && setting !== "zone" && setting !== "resources") {
    throw new MailDnsError("invalid-config", 'dkimKeys is "zone" or "resources"', { domain: zone, field: "dkimKeys", value: setting });
  }
  return (setting ?? "zone") === "zone";
}

/** A zone's resource that generates DKIM keys: its `publicKeys` (p= values) and `privateKeys` (stored form, secret) by selector. */
export interface DkimKeyHolder {
  readonly publicKeys: pulumi.Output<Record<string, string> | undefined>;
  readonly privateKeys: pulumi.Output<Record<string, string> | undefined>;
}

export interface CreateOptions {
  /** Prefix of the child resource names, unique within the stack. */
  namePrefix: string;
  /** The component the records belong to (none in a plain program). */
  parent?: pulumi.Resource;
  /** The URN of a component these records were children of in an earlier layout: they are aliased from it. */
  formerParent?: pulumi.Input<string>;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface ZoneHandle {
  readonly provider: ProviderName;
  /** The zone apex, canonical (lowercase, no trailing dot). */
  readonly zone: string;
  readonly capabilities: Capabilities;
  /** TTL range the provider accepts. */
  readonly ttlRange: { min: number; max: number };
  /** The TXT character-strings the provider receives for a value (for txt-string-length). */
  txtStrings(value: string): string[];
  /** `createRecords` makes one resource for all the sets it is given (zone files, RFC 2136), not one per set. */
  readonly groupsRecordSets?: boolean;
  /**
   * The resource `createRecords` makes generates the sets' `generatedKeys` and
   * keeps them (zone files): it is a DkimKeyHolder, and no key resource is made.
   */
  readonly holdsKeys?: boolean;
  /** Register the provider resources for `sets`, children of `opts.parent`. */
  createRecords(sets: readonly ZoneRecordSet[], opts: CreateOptions): pulumi.Resource[];
}

/**
 * The URN a resource `name` of `type` has (or had) under `parent`, built as
 * the SDK's `createUrn` builds it. Under the stack, or under a parent given
 * as a URN string, it is a plain string: an alias made of strings costs the
 * SDK no outputs to resolve (createUrn makes several, each with its promises,
 * for every aliased resource of every domain on every run).
 */
export function childUrn(name: string, type: string, parent?: pulumi.Resource | pulumi.Input<string>): pulumi.Input<string> {
  const stackPrefix = () => `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::`;
  if (parent === undefined) return `${stackPrefix()}${type}::${name}`;
  if (typeof parent !== "string") return pulumi.createUrn(name, type, parent);
  const prefix = `${parent.substring(0, parent.lastIndexOf("::"))}$`;
  return `${prefix.endsWith("::pulumi:pulumi:Stack$") ? stackPrefix() : prefix}${type}::${name}`;
}

/**
 * The aliases of a record resource: each former name (under its parent as it
 * is now), and, when the resources moved out of a component, each name under
 * that component.
 */
export function recordAliases(opts: CreateOptions, formerNames: string[] = []): pulumi.Alias[] | undefined {
  const out: pulumi.Alias[] = formerNames.map((name) => ({ name }));
  if (opts.formerParent) out.push({ parent: opts.formerParent }, ...formerNames.map((name) => ({ name, parent: opts.formerParent })));
  return out.length ? out : undefined;
}

/** A stable, readable resource name for a record set. */
export function recordResourceName(prefix: string, set: { name: string; type: string }, suffix?: string): string {
  return `${prefix}-${set.type.toLowerCase()}-${set.name}${suffix ? `-${suffix}` : ""}`;
}

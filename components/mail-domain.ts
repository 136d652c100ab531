import { awsSdk } from "../zones/provider-sdks";
import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "../lib/errors";
import { Finding } from "../lib/finding";
import { runRules } from "../lib/rules";
import { createView, ViewRecord } from "../lib/view";
import { childUrn, CreateOptions, DkimKeyHolder, ZoneHandle, ZoneRecordSet } from "../zones/zone";
import { generatedKeyRecord } from "../lib/dkim";
import { dkimPrivateKeyPem } from "./dkim-key-material";
import { DkimKey, DkimKeyArgs } from "./dkim-key";
import { MailDomainArgs } from "./mail-domain-args";
import { MailDomainPlan, planMailDomain } from "./mail-domain-plan";

export interface RecordOutput {
  zone: string;
  name: string;
  type: string;
  ttl: number;
  values: string[];
}

/** The rules of the catalogue over a plan: errors throw, warnings are returned. */
export function checkPlan(plan: MailDomainPlan, rules: MailDomainArgs["rules"] = {}): Finding[] {
  const records: ViewRecord[] = plan.sets.map((s) => ({
    name: s.name,
    type: s.type,
    ttl: s.ttl,
    values: s.values,
    unknownValues: s.generated?.length,
    strings: s.type === "TXT" ? s.values.map((v) => s.zone.txtStrings(v)) : undefined,
    proxied: false,
    source: `${s.zone.provider}:${s.zone.zone}`,
  }));
  const policy = plan.transport?.mtaStsPolicy;
  const view = createView(records, { zones: [...new Set(plan.sets.map((s) => s.zone.zone))], facts: policy ? { mtaSts: { [plan.domain]: { text: policy } } } : {} });
  const findings = runRules(view, rules);
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    const first = errors[0] as Finding;
    throw new MailDnsError("rule-violation", errors.map((e) => `${e.subject}: ${e.message} [${e.ruleId}, ${e.rfc}]`).join("; "), {
      domain: plan.domain, field: first.subject, ruleId: first.ruleId, rfc: first.rfc, findings: errors,
    });
  }
  return findings;
}

/** What a mail domain declares, whether or not a MailDomain component groups it. */
export interface MailDomainResources {
  readonly domain: string;
  /** Every record set as plain data. */
  readonly records: pulumi.Output<RecordOutput[]>;
  /** DKIM records: selector, owner name, TXT value. */
  readonly dkimRecords: pulumi.Output<{ selector: string; name: string; value: string }[]>;
  /** Generated DKIM private keys (PEM) by selector; a secret. */
  readonly dkimPrivateKeys: pulumi.Output<Record<string, string>>;
  /** Rule warnings found at construction. */
  readonly warnings: Finding[];
  /** The MTA-STS policy maildns rendered from the MX targets, and the URL to serve it at (https://mta-sts.<domain>/.well-known/mta-sts.txt). */
  readonly mtaSts?: { policy: string; url: string };
}

/** One domain's entry of the `domains` stack output. */
export interface MailDomainOutputs {
  records: pulumi.Output<RecordOutput[]>;
  dkim: pulumi.Output<{ selector: string; name: string; value: string }[]>;
  /** Generated private keys (PEM) by selector, retired ones included; a secret (`maildns dkim-keys` writes them out). */
  dkimKeys: pulumi.Output<Record<string, string>>;
  /** The MTA-STS policy to serve, and where. */
  mtaSts?: { policy: string; url: string };
}

/**
 * The stack output maildns's tools read, by domain: export it as `domains`
 * (`export const domains = mailDomainOutputs(a, b)`) and `maildns dkim-keys`
 * writes the keys for the signer, `maildns verify --stack-outputs` checks
 * each domain against its records. maildns's own stack program exports it.
 */
export function mailDomainOutputs(...domains: MailDomainResources[]): Record<string, MailDomainOutputs> {
  const out: Record<string, MailDomainOutputs> = {};
  for (const md of domains) {
    out[md.domain] = { records: md.records, dkim: md.dkimRecords, dkimKeys: md.dkimPrivateKeys, ...(md.mtaSts ? { mtaSts: md.mtaSts } : {}) };
  }
  return out;
}

export interface MailDomainOptions {
  /** The resource the records and keys are children of (default: the stack). */
  parent?: pulumi.Resource;
}

/**
 * Every record a mail domain needs — A/AAAA, MX, PTR, SPF, DKIM, DMARC — on
 * the zone it lives in, registered directly (no component around them): the
 * layout for stacks of many domains, where each resource costs a checkpoint
 * write. Arguments are checked with the rules library before any resource is
 * registered: an error throws MailDnsError (domain, field, value, rule id);
 * warnings go to the Pulumi log.
 *
 * `name` prefixes every resource name, as it does in a MailDomain of that
 * name; resources made by a `MailDomain` component of the same name are taken
 * over through aliases (nothing is recreated, no key is generated again).
 */
export function declareMailDomain(name: string, args: MailDomainArgs, opts: MailDomainOptions = {}): MailDomainResources {
  return prepareMailDomain(name, args, opts).register();
}

/**
 * `declareMailDomain` in two halves: the arguments are checked now (an error
 * throws, warnings go to the log), the resources are registered when
 * `register` is called. A program of many domains checks them all before it
 * registers any, so a mistake in the last one leaves the stack untouched.
 */
export function prepareMailDomain(name: string, args: MailDomainArgs, opts: MailDomainOptions = {}): { warnings: Finding[]; register(): MailDomainResources } {
  const plan = planMailDomain(args);
  const warnings = checkPlan(plan, args.rules);
  for (const w of warnings) pulumi.log.warn(`${w.subject}: ${w.message} [${w.ruleId}]`);
  return {
    warnings,
    // Where a MailDomain of this name under the same parent had these resources.
    register: () => ({ ...registerMailDomain(name, plan, { parent: opts.parent, formerParent: childUrn(name, MAIL_DOMAIN_TYPE, opts.parent) }), warnings }),
  };
}

const MAIL_DOMAIN_TYPE = "maildns:index:MailDomain";

/**
 * The keys a zone resource generated for `sets`: each generated key's DKIM
 * record joins its set's values, and each key (retained ones too) its
 * selector's entry of `keys`.
 */
function heldKeys(
  holder: DkimKeyHolder,
  sets: readonly ZoneRecordSet[],
  zsets: { zset: ZoneRecordSet; values: pulumi.Input<string>[] }[],
  keys: Map<string, { txtValue: pulumi.Output<string>; privateKeyPem: pulumi.Output<string> }>,
): void {
  const held = pulumi.all([holder.publicKeys, holder.privateKeys]);
  const publicKey = (sel: string) =>
    holder.publicKeys.apply((pk) => {
      const p = pk?.[sel];
      if (p === undefined) throw new Error(`the zone resource holds no DKIM key for selector ${sel}`);
      return p;
    });
  for (const zset of sets) {
    const entry = zsets.find((z) => z.zset === zset);
    for (const k of [...(zset.generatedKeys ?? []), ...(zset.retainedKeys ?? [])]) {
      const txtValue = publicKey(k.selector).apply(generatedKeyRecord);
      if (entry && zset.generatedKeys?.includes(k)) entry.values.push(txtValue);
      const privateKeyPem = pulumi.secret(held.apply(([pub, priv]) => dkimPrivateKeyPem({ algorithm: k.algorithm, publicKey: pub?.[k.selector] ?? "", privateKeyPem: priv?.[k.selector] ?? "" })));
      keys.set(k.selector, { txtValue, privateKeyPem });
    }
  }
}

/**
 * Every record a mail domain needs — A/AAAA, MX, PTR, SPF, DKIM, DMARC — on
 * the zone it lives in, as children of one component. Arguments are checked
 * with the rules library before any resource is registered: an error throws
 * MailDnsError (domain, field, value, rule id); warnings go to the Pulumi log.
 * For stacks of many domains, `declareMailDomain` registers the same
 * resources without the component (one checkpoint write fewer per domain).
 */
export class MailDomain extends pulumi.ComponentResource implements MailDomainResources {
  declare readonly domain: string;
  declare readonly records: pulumi.Output<RecordOutput[]>;
  declare readonly dkimRecords: pulumi.Output<{ selector: string; name: string; value: string }[]>;
  declare readonly dkimPrivateKeys: pulumi.Output<Record<string, string>>;
  declare readonly warnings: Finding[];
  declare readonly mtaSts?: { policy: string; url: string };

  constructor(name: string, args: MailDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planMailDomain(args);
    const warnings = checkPlan(plan, args.rules);
    super(MAIL_DOMAIN_TYPE, name, {}, opts);
    for (const w of warnings) pulumi.log.warn(`${w.subject}: ${w.message} [${w.ruleId}]`, this);
    Object.assign(this, registerMailDomain(name, plan, { parent: this }), { warnings });
    // No registerOutputs: the component's outputs are the properties above (export what you
    // need); the keys and records live in their own resources. Registering empty outputs
    // would cost one more checkpoint per domain, which the file backend rewrites whole.
  }
}

/** Registers a checked plan's keys and records, children of `where.parent`; `formerParent` aliases them from a MailDomain component. */
function registerMailDomain(name: string, plan: MailDomainPlan, where: { parent?: pulumi.Resource; formerParent?: pulumi.Input<string> }): Omit<MailDomainResources, "warnings"> {
  const { parent, formerParent } = where;
  const keys = new Map<string, { txtValue: pulumi.Output<string>; privateKeyPem: pulumi.Output<string> }>();
  const byZone = new Map<ZoneHandle, ZoneRecordSet[]>();
  const keyOpts: pulumi.CustomResourceOptions = { parent, ...(formerParent ? { aliases: [{ parent: formerParent }] } : {}) };
  const dkimKey = (k: NonNullable<MailDomainPlan["sets"][number]["retainedKey"]>) => {
    const keyName = `${name}-dkim-${k.selector}`;
    // A key made before 0.2 was the `-pair` child of a DkimKey component inside the MailDomain.
    const formerKey = formerParent ? [{ name: `${keyName}-pair`, parent: childUrn(keyName, "maildns:index:DkimKey", formerParent) }] : [];
    return new DkimKey(keyName, { ...k, keyBits: k.keyBits as DkimKeyArgs["keyBits"] }, { ...keyOpts, aliases: [...(keyOpts.aliases ?? []), ...formerKey] });
  };
  // Each record set with its values; a generated key's value is filled in once its resource exists.
  const zsets: { set: MailDomainPlan["sets"][number]; zset: ZoneRecordSet; values: pulumi.Input<string>[] }[] = [];
  for (const set of plan.sets) {
    const values: pulumi.Input<string>[] = [...set.values];
    const zset: ZoneRecordSet = { name: set.name, type: set.type, ttl: set.ttl, values };
    if (set.zone.holdsKeys) {
      // The zone resource makes and keeps the keys itself (zone files, RFC 2136): no resource per key.
      if (set.generated?.length) zset.generatedKeys = set.generated;
      if (set.retainedKey) zset.retainedKeys = [set.retainedKey];
      zset.values = [...values];
    } else {
      for (const g of set.generated ?? []) {
        const key = dkimKey(g);
        keys.set(g.selector, key);
        values.push(key.txtValue);
      }
      // Revoked in DNS, kept in the state (same name: the same key) until the selector is removed.
      if (set.retainedKey) keys.set(set.retainedKey.selector, dkimKey(set.retainedKey));
    }
    byZone.set(set.zone, [...(byZone.get(set.zone) ?? []), zset]);
    zsets.push({ set, zset, values });
  }
  // The zone-file and RFC 2136 backends keep a domain's record sets in a zone as one resource;
  // Cloudflare and Route 53 make one resource per value / RRset, an MX after its targets' addresses.
  const addressResources = new Map<string, pulumi.Resource[]>();
  const isAddress = (x: ZoneRecordSet) => x.type === "A" || x.type === "AAAA";
  const base: CreateOptions = { namePrefix: name, parent, formerParent };
  for (const [zone, sets] of byZone) {
    if (zone.groupsRecordSets) {
      const [resource] = zone.createRecords(sets, base);
      if (zone.holdsKeys) heldKeys(resource as unknown as DkimKeyHolder, sets, zsets, keys);
      continue;
    }
    for (const set of sets.filter(isAddress)) addressResources.set(`${set.name} ${set.type}`, zone.createRecords([set], base));
    for (const set of sets.filter((x) => !isAddress(x))) {
      zone.createRecords([set], { ...base, dependsOn: set.type === "MX" ? [...addressResources.values()].flat() : [] });
    }
  }
  // Every record as plain data from one output per domain: the values generated in this run
  // (DKIM keys) are resolved together, the rest are plain already (fewer outputs: each costs
  // promises and a stack capture in the SDK, for every domain of a stack on every run).
  const generated: pulumi.Output<string>[] = [];
  const plain = zsets.map(({ set, values }) => ({
    zone: set.zone.zone, name: set.name, type: set.type, ttl: set.ttl,
    values: values.map((v) => (typeof v === "string" ? v : generated.push(pulumi.output(v)) - 1)),
  }));
  plan.eips.forEach((e, i) => {
    new (awsSdk().ec2.EipDomainName)(`${name}-eip-ptr-${i}`, { allocationId: e.allocationId as pulumi.Input<string>, domainName: e.host }, {
      ...keyOpts,
      dependsOn: addressResources.get(`${e.host} A`) ?? [],
    });
  });
  const resolved = pulumi.all(generated);
  const records = resolved.apply((known) => plain.map((r): RecordOutput => ({ ...r, values: r.values.map((v) => (typeof v === "number" ? (known[v] as string) : v)) })));
  const keyText = new Map([...keys].map(([sel, k]) => [sel, k.txtValue]));
  const dkimRecords = pulumi.all(plan.selectors.map((s) => (s.kind === "generated" ? keyText.get(s.selector) ?? "" : ""))).apply((texts) =>
    plan.selectors.map((s, i) => ({
      selector: s.selector,
      name: s.name,
      value: s.kind === "generated" ? (texts[i] as string) : (plan.sets.find((x) => x.name === s.name && x.type === "TXT")?.values[0] ?? ""),
    })),
  );
  const dkimPrivateKeys = pulumi.secret(
    pulumi.all(Object.fromEntries([...keys].map(([sel, k]) => [sel, k.privateKeyPem]))) as pulumi.Output<Record<string, string>>,
  );
  const mtaSts = plan.transport.mtaStsPolicy && plan.transport.mtaStsUrl ? { policy: plan.transport.mtaStsPolicy, url: plan.transport.mtaStsUrl } : undefined;
  return { domain: plan.domain, records, dkimRecords, dkimPrivateKeys, ...(mtaSts ? { mtaSts } : {}) };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "../lib/errors";
import { Finding } from "../lib/finding";
import { runRules } from "../lib/rules";
import { createView, ViewRecord } from "../lib/view";
import { ZoneHandle, ZoneRecordSet } from "../zones/zone";
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

/**
 * Every record a mail domain needs — A/AAAA, MX, PTR, SPF, DKIM, DMARC — on
 * the zone it lives in. Arguments are checked with the rules library before
 * any resource is registered: an error throws MailDnsError (domain, field,
 * value, rule id); warnings go to the Pulumi log.
 */
export class MailDomain extends pulumi.ComponentResource {
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

  constructor(name: string, args: MailDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planMailDomain(args);
    const warnings = checkPlan(plan, args.rules);
    super("maildns:index:MailDomain", name, {}, opts);
    this.domain = plan.domain;
    this.warnings = warnings;
    if (plan.transport.mtaStsPolicy && plan.transport.mtaStsUrl) this.mtaSts = { policy: plan.transport.mtaStsPolicy, url: plan.transport.mtaStsUrl };
    for (const w of warnings) pulumi.log.warn(`${w.subject}: ${w.message} [${w.ruleId}]`, this);

    const keys = new Map<string, DkimKey>();
    const outputs: pulumi.Output<RecordOutput>[] = [];
    const byZone = new Map<ZoneHandle, ZoneRecordSet[]>();
    for (const set of plan.sets) {
      const values: pulumi.Input<string>[] = [...set.values];
      for (const g of set.generated ?? []) {
        const key = new DkimKey(`${name}-dkim-${g.selector}`, { ...g, keyBits: g.keyBits as DkimKeyArgs["keyBits"] }, { parent: this });
        keys.set(g.selector, key);
        values.push(key.txtValue);
      }
      if (set.retainedKey) {
        // Revoked in DNS, kept in the state (same name: the same key) until the selector is removed.
        const k = set.retainedKey;
        keys.set(k.selector, new DkimKey(`${name}-dkim-${k.selector}`, { ...k, keyBits: k.keyBits as DkimKeyArgs["keyBits"] }, { parent: this }));
      }
      const zset: ZoneRecordSet = { name: set.name, type: set.type, ttl: set.ttl, values };
      byZone.set(set.zone, [...(byZone.get(set.zone) ?? []), zset]);
      outputs.push(output(set.zone, zset));
    }
    // The zone-file and RFC 2136 backends keep a domain's record sets in a zone as one resource;
    // Cloudflare and Route 53 make one resource per value / RRset, an MX after its targets' addresses.
    const addressResources = new Map<string, pulumi.Resource[]>();
    const isAddress = (x: ZoneRecordSet) => x.type === "A" || x.type === "AAAA";
    for (const [zone, sets] of byZone) {
      if (zone.groupsRecordSets) {
        zone.createRecords(sets, { namePrefix: name, parent: this });
        continue;
      }
      for (const set of sets.filter(isAddress)) addressResources.set(`${set.name} ${set.type}`, zone.createRecords([set], { namePrefix: name, parent: this }));
      for (const set of sets.filter((x) => !isAddress(x))) {
        zone.createRecords([set], { namePrefix: name, parent: this, dependsOn: set.type === "MX" ? [...addressResources.values()].flat() : [] });
      }
    }
    plan.eips.forEach((e, i) => {
      new aws.ec2.EipDomainName(`${name}-eip-ptr-${i}`, { allocationId: e.allocationId as pulumi.Input<string>, domainName: e.host }, {
        parent: this,
        dependsOn: addressResources.get(`${e.host} A`) ?? [],
      });
    });
    this.records = pulumi.all(outputs);
    this.dkimRecords = pulumi.all(
      plan.selectors.map((s) => {
        const set = plan.sets.find((x) => x.name === s.name && x.type === "TXT");
        const generated = s.kind === "generated" ? keys.get(s.selector) : undefined;
        const value: pulumi.Output<string> = generated?.txtValue ?? pulumi.output(set?.values[0] ?? "");
        return value.apply((v) => ({ selector: s.selector, name: s.name, value: v }));
      }),
    );
    this.dkimPrivateKeys = pulumi.secret(
      pulumi.all(Object.fromEntries([...keys].map(([sel, k]) => [sel, k.privateKeyPem]))) as pulumi.Output<Record<string, string>>,
    );
    // No registerOutputs: the component's outputs are the properties above (export what you
    // need); the keys and records live in their own resources. Registering empty outputs
    // would cost one more checkpoint per domain, which the file backend rewrites whole.
  }
}

function output(zone: ZoneHandle, set: ZoneRecordSet): pulumi.Output<RecordOutput> {
  return pulumi.all(set.values).apply((values) => ({ zone: zone.zone, name: set.name, type: set.type, ttl: set.ttl, values }));
}

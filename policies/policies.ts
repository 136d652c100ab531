import type { EnforcementLevel, PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { collectFacts } from "../lib/facts";
import { Finding, receiversSentence } from "../lib/finding";
import { cachingResolver, createResolver, DnsResolver, errorCode, isNoAnswer } from "../lib/resolver";
import { mxValues } from "../lib/rules/select";
import { getRule, rules } from "../lib/rules";
import { Rule } from "../lib/rules/rule";
import { createView, DomainView, ViewRecord } from "../lib/view";
import { RESOURCE_TYPES, StackResource, viewFromResources } from "./resources";
import { get, readPlain } from "./zones";

/**
 * The policies of the maildns pack, one per rule id, built from the rule
 * catalogue (id, RFC, summary, thresholds are never written twice). This
 * module does not start the pack server: the pack (index.ts), the offline
 * `evaluate` and `maildns lint` share it.
 */
export const NOTES_POLICY = "maildns-notes";
export const SETTINGS_POLICY = "maildns-settings";
export const INPUTS_POLICY = "maildns-record-inputs";

/**
 * Pack-wide settings, read by the first policy of the pack. The engine runs a
 * pack's stack policies one after the other in the pack's order, so every
 * policy after it sees them.
 */
export interface PackSettings {
  /** Zone id → zone name, for record zone ids from outside the stack (e.g. `cloudflare.getZone`). */
  zones?: Record<string, string>;
}
let settings: PackSettings = {};

/** Rules that need DNS to expand SPF includes and redirects. */
const DNS_RULES = new Set(["spf-lookup-limit", "spf-void-lookup-limit", "spf-mx-ptr-name-limit", "spf-include-loop", "spf-duplicate-include", "spf-include-resolves"]);
/** Rules that may look MX targets outside the stack up in live DNS (`liveDns: true`). */
const LIVE_MX_RULES = new Set(["mx-target-not-cname", "mx-target-has-address"]);

export interface DnsConfig {
  /** DNS servers for expanding SPF includes ("host:port"); default: the system's. */
  dnsServers?: string[];
  /** Per-query timeout (default 2000 ms). */
  timeoutMs?: number;
  /** Do not query DNS at all: includes outside the stack are "could not verify". */
  offline?: boolean;
  /** Look MX targets outside the stack up in live DNS (CNAME, A, AAAA). */
  liveDns?: boolean;
}

interface Evaluated {
  view: DomainView;
  notes: { urn?: string; subject: string; note: string }[];
}

const cache = new WeakMap<readonly StackResource[], Map<string, Promise<Evaluated>>>();

/** Zone-file resources, whose record sets are inputs only. */
const INPUT_ONLY_TYPES: readonly string[] = [...RESOURCE_TYPES.zonefile, ...RESOURCE_TYPES.zonefileRecords];

/**
 * The record sets of this update's zone-file resources, by URN, as their
 * resource validation saw them. The engine runs stack policies on outputs
 * and resource policies on inputs, first on every resource the program
 * registers (unchanged ones too) and then on the stack; a
 * zone-file resource keeps its record sets in its inputs only (state the file
 * backend rewrites at every checkpoint), so the stack policies read them here.
 */
const recordInputs = new Map<string, unknown>();

/** Records the inputs the stack policies need; reports nothing. */
const inputsPolicy: ResourceValidationPolicy = {
  name: INPUTS_POLICY,
  description: "reads the record sets of zone-file resources, which stack policies do not see (their outputs keep digests only); reports nothing",
  enforcementLevel: "advisory",
  validateResource: (args) => {
    if (INPUT_ONLY_TYPES.includes(args.type)) recordInputs.set(args.urn, readPlain(get(args.props, "rrsets")));
  },
};

/**
 * The resources, zone-file ones with the record sets of their inputs in this
 * run: outputs keep digests only (or, in state written before, the record
 * sets as they were, which an update in this run may change).
 */
function withRecordInputs(resources: readonly StackResource[]): StackResource[] {
  return resources.map((r) => {
    if (!INPUT_ONLY_TYPES.includes(r.type) || r.urn === undefined || !recordInputs.has(r.urn)) return r;
    return { ...r, props: { ...(readPlain(r.props) as Record<string, unknown>), rrsets: recordInputs.get(r.urn) } };
  });
}

/** The view of a stack, with SPF facts collected once per resource list and DNS settings. */
export function stackView(resources: readonly StackResource[], dns: DnsConfig): Promise<Evaluated> {
  const key = JSON.stringify([dns.dnsServers ?? [], dns.timeoutMs ?? 2000, dns.offline ?? false, dns.liveDns ?? false, settings.zones ?? {}]);
  let byKey = cache.get(resources);
  if (!byKey) cache.set(resources, (byKey = new Map()));
  let p = byKey.get(key);
  if (!p) {
    p = (async () => {
      const stack = viewFromResources(withRecordInputs(resources), { zones: settings.zones });
      let resolver: DnsResolver | undefined;
      if (!dns.offline) resolver = cachingResolver(createResolver({ servers: dns.dnsServers, timeoutMs: dns.timeoutMs ?? 2000, tries: 1 }));
      const view = dns.liveDns && resolver ? await withLiveMxTargets(stack.view, resolver, stack.notes) : stack.view;
      return { view: await collectFacts(view, { resolver }), notes: stack.notes };
    })();
    byKey.set(key, p);
  }
  return p;
}

export function levelOf(rule: Pick<Rule<object>, "severity">): EnforcementLevel {
  return rule.severity === "error" ? "mandatory" : "advisory";
}

/** The view plus what live DNS says of MX targets outside the stack's zones. */
async function withLiveMxTargets(view: DomainView, resolver: DnsResolver, notes: Evaluated["notes"]): Promise<DomainView> {
  const targets = [...new Set(mxValues(view).flatMap((m) => (m.mx && m.mx.exchange !== "" && !view.knows(m.mx.exchange) ? [m.mx.exchange] : [])))];
  const live: ViewRecord[] = [];
  const answered: string[] = [];
  for (const host of targets) {
    try {
      const ask = <T>(q: Promise<T[]>) => q.catch((e) => (isNoAnswer(e) ? [] : Promise.reject(e)));
      const cname = await ask(resolver.resolveCname(host));
      if (cname.length) live.push({ name: host, type: "CNAME", values: cname.map((c) => `${c}.`), source: "dns" });
      else {
        const [a, aaaa] = [await ask(resolver.resolve4(host)), await ask(resolver.resolve6(host))];
        if (a.length) live.push({ name: host, type: "A", values: a, source: "dns" });
        if (aaaa.length) live.push({ name: host, type: "AAAA", values: aaaa, source: "dns" });
      }
      answered.push(host);
    } catch (e) {
      notes.push({ subject: `${host} MX target`, note: `live DNS did not answer (${errorCode(e) ?? String(e)})` });
    }
  }
  return createView([...view.records, ...live], { zones: [...view.zones, ...answered], facts: view.facts });
}

function schemaOf(rule: Rule<object>): PolicyConfigSchema | undefined {
  const properties: PolicyConfigSchema["properties"] = {};
  for (const [k, v] of Object.entries(rule.defaults ?? {})) properties[k] = { type: "number", default: v as number };
  if (DNS_RULES.has(rule.id)) {
    properties.dnsServers = { type: "array", items: { type: "string" } };
    properties.timeoutMs = { type: "number", default: 2000 };
    properties.offline = { type: "boolean", default: false };
  }
  if (LIVE_MX_RULES.has(rule.id)) {
    properties.liveDns = { type: "boolean", default: false };
    properties.dnsServers = { type: "array", items: { type: "string" } };
    properties.timeoutMs = { type: "number", default: 2000 };
  }
  return Object.keys(properties).length ? { properties } : undefined;
}

function urnOf(view: DomainView, subject: string): string | undefined {
  const [name, type] = subject.split(" ");
  const rec = view.at(name ?? "", type === "SPF" ? "TXT" : type);
  return rec.find((r) => r.source?.startsWith("urn:"))?.source;
}

export function formatFinding(f: Finding): string {
  const consequence = f.consequence ?? getRule(f.ruleId)?.consequence;
  return `${f.subject}: ${f.message} [${f.ruleId}${f.rfc ? `, ${f.rfc}` : ""}]${consequence && !f.unverified ? ` ${receiversSentence(consequence)}.` : ""}${f.hint ? ` Fix: ${f.hint}.` : ""}`;
}

function rulePolicy(rule: Rule<object>): StackValidationPolicy {
  return {
    name: rule.id,
    description: `${rule.summary} (${rule.rfc})`,
    enforcementLevel: levelOf(rule),
    configSchema: schemaOf(rule),
    validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
      const config = args.getConfig<Record<string, unknown> & DnsConfig>();
      // Only the SPF rules need DNS; the others read the stack alone.
      const needsDns = DNS_RULES.has(rule.id) || (LIVE_MX_RULES.has(rule.id) && config.liveDns === true);
      const { view } = await stackView(args.resources as StackResource[], needsDns ? config : { offline: true });
      const options = { ...(rule.defaults ?? {}), ...pick(config, Object.keys(rule.defaults ?? {})) };
      for (const f of rule.check(view, options)) {
        // A warning of an error-level rule ("could not verify") is a note, never a mandatory violation.
        if (f.severity === "warning" && rule.severity === "error") continue;
        report(formatFinding(f), urnOf(view, f.subject));
      }
    },
  };
}

const notesPolicy: StackValidationPolicy = {
  name: NOTES_POLICY,
  description: "what maildns could not check: values unknown during preview, DNS that could not be reached",
  enforcementLevel: "advisory",
  configSchema: { properties: { dnsServers: { type: "array", items: { type: "string" } }, timeoutMs: { type: "number", default: 2000 }, offline: { type: "boolean", default: false } } },
  validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
    const config = args.getConfig<DnsConfig>();
    const { view, notes } = await stackView(args.resources as StackResource[], config);
    let reported = 0;
    for (const rule of rules) {
      if (rule.severity !== "error") continue;
      for (const f of rule.check(view, rule.defaults ?? {})) {
        if (f.severity !== "warning") continue;
        report(formatFinding(f), urnOf(view, f.subject));
        reported++;
      }
    }
    // Values unknown during preview are skipped with a note, never reported as violations.
    if (reported === 0 && notes.length > 0) {
      args.notApplicable(`not checked during preview: ${notes.map((n) => `${n.subject} (${n.note})`).join("; ")}`);
    }
  },
};

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

const settingsPolicy: StackValidationPolicy = {
  name: SETTINGS_POLICY,
  description: "settings for the whole pack (zones: zone id → zone name, for records whose zone is not a resource of the stack); reports nothing",
  enforcementLevel: "advisory",
  configSchema: { properties: { zones: { type: "object", additionalProperties: { type: "string" }, default: {} } } },
  validateStack: async (args: StackValidationArgs) => {
    settings = { zones: { ...(args.getConfig<PackSettings>().zones ?? {}) } };
  },
};

/** The pack's policies: the inputs reader (resources), the settings first of the stack policies (see PackSettings), one per rule id, then the notes. */
export const policies: (StackValidationPolicy | ResourceValidationPolicy)[] = [inputsPolicy, settingsPolicy, ...rules.map(rulePolicy), notesPolicy];

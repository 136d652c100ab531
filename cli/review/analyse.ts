import { getChangeRule } from "../../lib/changes/catalogue";
import { compareDomain, Consequence, DomainFacts } from "../../lib/changes/compare";
import { dmarcName, isDmarcRecord } from "../../lib/dmarc";
import type { Finding } from "../../lib/finding";
import { isAtOrBelow } from "../../lib/names";
import { runRules } from "../../lib/rules";
import { isSpfRecord } from "../../lib/spf";
import { createView, DomainView, ViewRecord } from "../../lib/view";
import { StackResource, viewFromResources, ViewSettings } from "../../policies/resources";
import type { Plan, PlanStep, PolicyViolation } from "./plan";

/**
 * The review of a plan: per mail domain, the record changes, what they do to
 * mail (at the end and in the states the update passes through), the policy
 * violations, and a verdict. Views come from the policy pack's builder.
 */
export type Verdict = "blocks mail" | "needs attention" | "safe";
export type RowOp = "create" | "update" | "replace" | "delete";

export interface RecordRow {
  op: RowOp;
  name: string;
  type: string;
  /** Route 53 routing set. */
  set?: string;
  before: string[];
  after: string[];
  /** Values not known until the update runs (a key generated then). */
  unknownAfter: number;
  ttlBefore?: number;
  ttlAfter?: number;
}

export interface DomainReview {
  domain: string;
  verdict: Verdict;
  rows: RecordRow[];
  consequences: Consequence[];
  violations: PolicyViolation[];
  facts: DomainFacts;
  /** Share of the domain's record values the plan deletes. */
  deleteShare: number;
}

export interface Review {
  domains: DomainReview[];
  /** Mail domains of the plan with nothing to report (no record changes, consequences or violations). */
  unchanged: number;
  /** Changed records that belong to no mail domain of the plan. */
  other: RecordRow[];
  /** Violations not tied to a domain. */
  violations: PolicyViolation[];
  notes: string[];
  ops: Record<string, number>;
  massDelete: string[];
}

export interface AnalyseOptions {
  maxDeleteShare: number;
  /** A mass deletion is intended: a warning, not an error. */
  allowMassDelete?: boolean;
  settings?: ViewSettings;
  violations?: PolicyViolation[];
}

type Resources = StackResource[];

export function analyse(plan: Plan, opts: AnalyseOptions): Review {
  const view = (rs: Resources) => viewFromResources(rs, opts.settings ?? {}).view;
  const pick = (f: (s: PlanStep) => (StackResource | undefined)[]) => plan.steps.flatMap(f).filter((r): r is StackResource => r !== undefined);
  const before = view(pick((s) => [s.before]));
  const after = view(pick((s) => [s.after]));
  const ops = Object.fromEntries(["create", "update", "replace", "delete", "same"].map((op) => [op, plan.steps.filter((s) => s.op === op && !s.type.startsWith("pulumi:")).length]));
  const rows = diffRows(before, after, plan);
  const domains = mailDomains(before, after);
  const notes: string[] = [];
  if (!plan.complete) {
    notes.push(`the preview lists only changed resources (${plan.omitted} unchanged left out): rules that need the whole domain were not run; use \`pulumi preview --json --show-sames\``);
  }
  const midway = plan.complete ? midwayViews(plan, view) : [];
  const findingsBefore = plan.complete ? keyed(runRules(before)) : new Map<string, Finding>();
  const findingsAfter = plan.complete ? keyed(runRules(after)) : new Map<string, Finding>();
  const owners = new Map<string, string | undefined>();
  const domainOf = (name: string) => {
    if (!owners.has(name)) owners.set(name, owningDomain(name, domains, after, before));
    return owners.get(name);
  };
  // New errors in the states the update passes through, each state judged once.
  const midwayFindings = midway.map((state) => [...keyed(runRules(state))].filter(([k, f]) => f.severity === "error" && !f.unverified && !findingsBefore.has(k) && !findingsAfter.has(k)));
  const newAfter = [...findingsAfter].filter(([k, f]) => !findingsBefore.has(k) && !f.unverified);
  const byDomain = new Map<string, DomainReview>(domains.map((d) => [d, { domain: d, verdict: "safe", rows: [], consequences: [], violations: [], facts: {}, deleteShare: 0 }]));
  const other: RecordRow[] = [];
  for (const row of rows) (byDomain.get(domainOf(row.name) ?? "")?.rows ?? other).push(row);

  for (const d of byDomain.values()) {
    const { consequences, facts } = compareDomain(d.domain, before, after);
    d.facts = facts;
    const seen = new Set(consequences.map((c) => `${c.ruleId}|${c.subject}`));
    for (const [, f] of newAfter) {
      if (domainOf(subjectName(f.subject)) !== d.domain) continue;
      consequences.push({ ruleId: f.ruleId, severity: f.severity, subject: f.subject, message: f.message, receivers: f.consequence ?? "", rfc: f.rfc });
    }
    for (const [i, state] of midway.entries()) {
      for (const [k, f] of midwayFindings[i] ?? []) {
        if (seen.has(k) || domainOf(subjectName(f.subject)) !== d.domain) continue;
        seen.add(k);
        consequences.push({ ruleId: f.ruleId, severity: "error", subject: f.subject, message: `during the update: ${f.message}`, receivers: f.consequence ?? "", rfc: f.rfc, during: true });
      }
      for (const c of compareDomain(d.domain, before, state).consequences) {
        const k = `${c.ruleId}|${c.subject}`;
        if (c.severity !== "error" || seen.has(k)) continue;
        seen.add(k);
        consequences.push({ ...c, message: `during the update: ${c.message}`, during: true });
      }
    }
    d.deleteShare = deleteShare(d, before, domainOf);
    if (d.deleteShare > opts.maxDeleteShare) {
      const rule = getChangeRule("mass-delete");
      consequences.push({
        ruleId: "mass-delete", severity: opts.allowMassDelete ? "warning" : "error", subject: `${d.domain} *`, rfc: rule?.rfc, receivers: rule?.consequence ?? "",
        message: `the plan deletes ${Math.round(d.deleteShare * 100)}% of the domain's record sets (more than ${Math.round(opts.maxDeleteShare * 100)}%)${opts.allowMassDelete ? "; allowed by --allow-mass-delete" : ""}`,
      });
      // An intended removal: what it breaks is listed for the reviewer, as warnings.
      if (opts.allowMassDelete) for (const c of consequences) if (c.severity === "error") c.severity = "warning";
    }
    d.consequences = consequences.sort(bySeverity);
  }
  const unassigned: PolicyViolation[] = [];
  for (const v of opts.violations ?? []) {
    const name = subjectName(v.message.split(": ")[0] ?? "");
    const domain = domainOf(name) ?? domainOfUrn(v.urn, plan, domainOf);
    (byDomain.get(domain ?? "")?.violations ?? unassigned).push(v);
  }
  // A rule finding the policy pack also reported is listed once, as the violation.
  for (const d of byDomain.values()) d.consequences = d.consequences.filter((c) => !d.violations.some((v) => v.policy === c.ruleId && v.message.startsWith(`${c.subject}:`)));
  const list = [...byDomain.values()].filter((d) => d.rows.length > 0 || d.consequences.length > 0 || d.violations.length > 0);
  for (const d of list) d.verdict = verdictOf(d);
  list.sort((a, b) => RANK[a.verdict] - RANK[b.verdict] || a.domain.localeCompare(b.domain));
  return { domains: list, unchanged: byDomain.size - list.length, other, violations: unassigned, notes, ops, massDelete: list.filter((d) => d.consequences.some((c) => c.ruleId === "mass-delete")).map((d) => d.domain) };
}

const RANK: Record<Verdict, number> = { "blocks mail": 0, "needs attention": 1, safe: 2 };
const SEVERITY = { error: 0, warning: 1, info: 2 };
const bySeverity = (a: Consequence, b: Consequence) => SEVERITY[a.severity] - SEVERITY[b.severity] || Number(a.during ?? false) - Number(b.during ?? false) || a.subject.localeCompare(b.subject) || a.ruleId.localeCompare(b.ruleId);

function verdictOf(d: DomainReview): Verdict {
  if (d.consequences.some((c) => c.severity === "error") || d.violations.some((v) => v.level === "mandatory")) return "blocks mail";
  if (d.consequences.some((c) => c.severity === "warning") || d.violations.some((v) => v.level === "advisory")) return "needs attention";
  return "safe";
}

const keyed = (findings: Finding[]) => new Map(findings.map((f) => [`${f.ruleId}|${f.subject}`, f] as const));
/** "example.com TXT" → "example.com". */
const subjectName = (subject: string) => subject.trim().split(/\s+/)[0]?.toLowerCase().replace(/\.$/, "") ?? "";

/**
 * Names that are mail domains in either view: an MX, an SPF record, a DMARC
 * record at _dmarc.<name> or a DKIM key under <name>.
 */
function mailDomains(...views: DomainView[]): string[] {
  const out = new Set<string>();
  for (const v of views) {
    for (const name of v.names()) {
      if (v.at(name, "MX").length) out.add(name);
      if (v.values(name, "TXT").some(isSpfRecord)) out.add(name);
      if (name.startsWith("_dmarc.") && v.values(name, "TXT").some(isDmarcRecord)) out.add(name.slice("_dmarc.".length));
      const dk = name.indexOf("._domainkey.");
      if (dk > 0) out.add(name.slice(dk + "._domainkey.".length));
    }
  }
  return [...out].sort();
}

/** The mail domain a name belongs to: the closest one at or above it; a PTR goes with the host it names. */
function owningDomain(name: string, domains: string[], ...views: DomainView[]): string | undefined {
  const closest = (n: string) => domains.filter((d) => isAtOrBelow(n, d) || n === dmarcName(d)).sort((a, b) => b.length - a.length)[0];
  const own = closest(name);
  if (own) return own;
  if (name.endsWith(".arpa")) {
    for (const v of views) {
      const host = v.values(name, "PTR")[0];
      const d = host ? closest(host.toLowerCase().replace(/\.$/, "")) : undefined;
      if (d) return d;
    }
  }
  return undefined;
}

function domainOfUrn(urn: string | undefined, plan: Plan, domainOf: (n: string) => string | undefined): string | undefined {
  if (!urn) return undefined;
  const step = plan.steps.find((s) => s.urn === urn);
  const r = step?.after ?? step?.before;
  if (!r) return undefined;
  const names = viewFromResources([r]).view.names();
  return names.map(domainOf).find((d) => d !== undefined);
}

interface Agg {
  values: string[];
  unknown: number;
  ttl?: number;
  sources: Set<string>;
  set?: string;
}

function aggregate(view: DomainView): Map<string, Agg> {
  const out = new Map<string, Agg>();
  for (const r of view.records as ViewRecord[]) {
    const key = `${r.name}|${r.type}|${r.set ?? ""}`;
    const a = out.get(key) ?? { values: [], unknown: 0, ttl: r.ttl, sources: new Set<string>(), ...(r.set ? { set: r.set } : {}) };
    a.values.push(...(r.alias ? [`ALIAS ${r.alias}`] : r.values));
    a.unknown += r.unknownValues ?? 0;
    if (r.source) a.sources.add(r.source);
    out.set(key, a);
  }
  for (const a of out.values()) a.values.sort();
  return out;
}

/** One row per record set that differs between the views, in name order. */
export function diffRows(before: DomainView, after: DomainView, plan?: Plan): RecordRow[] {
  const b = aggregate(before);
  const a = aggregate(after);
  const opOf = new Map(plan?.steps.map((s) => [s.urn, s.op]) ?? []);
  const rows: RecordRow[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const x = b.get(key);
    const y = a.get(key);
    if (x && y && x.unknown === 0 && y.unknown === 0 && x.ttl === y.ttl && same(x.values, y.values)) continue;
    const [name = "", type = ""] = key.split("|");
    let op: RowOp = !x ? "create" : !y ? "delete" : "update";
    if (x && y && plan) {
      const stepOps = new Set([...x.sources, ...y.sources].map((u) => opOf.get(u)).filter((o) => o !== undefined && o !== "same"));
      if ([...stepOps].some((o) => o !== "update")) op = "replace";
    }
    rows.push({
      op, name, type, ...((x ?? y)?.set ? { set: (x ?? y)?.set } : {}),
      before: x?.values ?? [], after: y?.values ?? [], unknownAfter: y?.unknown ?? 0,
      ...(x?.ttl !== undefined ? { ttlBefore: x.ttl } : {}), ...(y?.ttl !== undefined ? { ttlAfter: y.ttl } : {}),
    });
  }
  return rows.sort((p, q) => p.name.localeCompare(q.name) || p.type.localeCompare(q.type) || (p.set ?? "").localeCompare(q.set ?? ""));
}

const same = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/** Record sets of the domain (name and type) that the plan removes, over those it had. */
function deleteShare(d: DomainReview, before: DomainView, domainOf: (n: string) => string | undefined): number {
  const sets = new Set(before.records.filter((r) => domainOf(r.name) === d.domain).map((r) => `${r.name}|${r.type}|${r.set ?? ""}`));
  if (sets.size === 0) return 0;
  const deleted = d.rows.filter((r) => r.op === "delete").length;
  return deleted / sets.size;
}

/**
 * The states an update passes through, as the engine orders its steps:
 * creates, updates and create-before-delete replacements run first (in any
 * order their dependencies allow), deletes last; a delete-before-replace
 * replacement removes the old resource before its new one exists.
 */
function midwayViews(plan: Plan, view: (rs: Resources) => DomainView): DomainView[] {
  const states: Resources[] = [];
  const mid = plan.steps.flatMap((s) => {
    if (s.op === "replace") return s.deleteBeforeReplace ? [s.after] : [s.before, s.after];
    if (s.op === "delete") return [s.before];
    return [s.after ?? s.before];
  });
  states.push(mid.filter(isResource));
  if (plan.steps.some((s) => s.op === "replace" && s.deleteBeforeReplace)) {
    states.push(plan.steps.flatMap((s) => (s.op === "replace" && s.deleteBeforeReplace ? [] : [s.before ?? (s.op === "create" ? undefined : s.after)])).filter(isResource));
  }
  // A record created without a dependency on the new address it needs may exist before that address.
  const hasType = (r: StackResource | undefined, types: string[]) => r !== undefined && viewFromResources([r]).view.records.some((x) => types.includes(x.type));
  const pending = plan.steps.filter((s) => (s.op === "create" || s.op === "replace") && hasType(s.after, ["A", "AAAA"]));
  const early = plan.steps.filter((s) => s.op !== "same" && s.op !== "delete" && hasType(s.after, ["MX"]));
  const late = new Set(pending.filter((p) => early.some((m) => m !== p && !m.dependencies.includes(p.urn))).map((p) => p.urn));
  if (late.size > 0) {
    states.push(plan.steps.flatMap((s) => (late.has(s.urn) ? [s.op === "replace" ? s.before : undefined] : s.op === "delete" ? [s.before] : [s.after ?? s.before])).filter(isResource));
  }
  return states.map((rs) => distinct(view(rs)));
}

/** A name's identical records once: DNS holds a record set, so two resources writing the same value midway are one record. */
function distinct(v: DomainView): DomainView {
  const seen = new Set<string>();
  const records = v.records.flatMap((r) => {
    const keep = r.values.map((x) => {
      const k = `${r.name}|${r.type}|${x}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (keep.every(Boolean)) return [r];
    const values = r.values.filter((_x, i) => keep[i]);
    if (values.length === 0 && !r.unknownValues) return [];
    return [{ ...r, values, ...(r.strings ? { strings: r.strings.filter((_x, i) => keep[i]) } : {}) }];
  });
  return createView(records, { zones: [...v.zones], facts: v.facts });
}

const isResource = (r: StackResource | undefined): r is StackResource => r !== undefined;

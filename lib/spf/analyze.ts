import { Finding } from "../finding";
import { DnsResolver, errorCode, isNoAnswer } from "../resolver";
import { rules, runRules } from "../rules";
import { createView } from "../view";
import { isSpfRecord, parseSpf, SpfRecord, Term } from "./parse";

/**
 * Static analysis of a published SPF policy: the include/redirect tree with
 * each node's own DNS-lookup count (RFC 7208 §4.6.4), void lookups of literal
 * targets, names per mx, loops and repeated includes. It asks DNS through the
 * injected resolver only; wrap that in cachingResolver() so a run over many
 * domains asks each question once.
 */
export interface SpfNode {
  domain: string;
  via: "root" | "include" | "redirect";
  record?: string;
  /** Why the node could not be analysed (no record, several, syntax, DNS). */
  error?: { kind: "none" | "multiple" | "syntax" | "dns" | "loop"; message: string };
  /** DNS-querying terms of this record itself. */
  ownLookups: number;
  /** ownLookups plus those of every include/redirect below. */
  lookups: number;
  /** Literal a/mx/exists targets of this record that have no answer. */
  voidLookups: number;
  /** mx targets with more than 10 MX names: target → count. */
  mxNames: Record<string, number>;
  /** Terms with macros, which cannot be resolved statically. */
  macroTerms: string[];
  children: SpfNode[];
}

export interface SpfAnalysis {
  domain: string;
  /** The selected record of the domain itself. */
  record?: string;
  tree: SpfNode;
  /** Total DNS-querying terms, includes and redirect expanded. */
  lookups: number;
  voidLookups: number;
  /** Domains reached through include/redirect more than once. */
  repeatedIncludes: string[];
  /** Include cycles, as paths. */
  loops: string[][];
  /** DNS failures that leave the counts a lower bound. */
  incomplete: string[];
  /** The spf-* rules of the catalogue over this record and its tree. */
  findings: Finding[];
}

export interface AnalyzeOptions {
  resolver: DnsResolver;
  /** A record to analyse instead of the published one (e.g. before deploy). */
  record?: string;
  /** Depth guard beyond the lookup limit (default 20). */
  maxDepth?: number;
}

export async function analyzeSpf(domain: string, opts: AnalyzeOptions): Promise<SpfAnalysis> {
  const seen = new Map<string, number>();
  const loops: string[][] = [];
  const incomplete: string[] = [];
  const maxDepth = opts.maxDepth ?? 20;
  const root = domain.toLowerCase().replace(/\.$/, "");

  async function node(d: string, via: SpfNode["via"], path: string[], given?: string): Promise<SpfNode> {
    const n: SpfNode = { domain: d, via, ownLookups: 0, lookups: 0, voidLookups: 0, mxNames: {}, macroTerms: [], children: [] };
    if (path.includes(d)) {
      loops.push([...path, d]);
      n.error = { kind: "loop", message: `${[...path, d].join(" -> ")} is a loop (RFC 7208 §4.6.4)` };
      return n;
    }
    if (via !== "root") seen.set(d, (seen.get(d) ?? 0) + 1);
    const text = given ?? (await selectRecord(opts.resolver, d, n, incomplete));
    if (text === undefined) return n;
    n.record = text;
    const parsed = parseSpf(text);
    if (!parsed.record) {
      n.error = { kind: "syntax", message: parsed.errors.map((e) => `${e.term}: ${e.message}`).join("; ") };
      return n;
    }
    await countTerms(opts.resolver, parsed.record, d, n, incomplete);
    if (path.length < maxDepth) {
      for (const t of targets(parsed.record)) {
        if (/%/.test(t.spec)) continue;
        n.children.push(await node(t.spec.toLowerCase().replace(/\.$/, ""), t.via, [...path, d]));
      }
    }
    n.lookups = n.ownLookups + n.children.reduce((s, c) => s + c.lookups, 0);
    return n;
  }

  const tree = await node(root, "root", [], opts.record);
  const voids = (x: SpfNode): number => x.voidLookups + x.children.reduce((s, c) => s + voids(c), 0);
  const analysis: SpfAnalysis = {
    domain: root,
    record: tree.record,
    tree,
    lookups: tree.lookups,
    voidLookups: voids(tree),
    repeatedIncludes: [...seen].filter(([, c]) => c > 1).map(([d]) => d),
    loops,
    incomplete,
    findings: [],
  };
  // The findings come from the same rules the components, policies and verify run.
  const view = createView(tree.record ? [{ name: root, type: "TXT", values: [tree.record] }] : [], { facts: { spf: { [root]: analysis } } });
  analysis.findings = runRules(view, { only: rules.map((r) => r.id).filter((id) => id.startsWith("spf-")) });
  if (tree.error && tree.error.kind !== "syntax") {
    analysis.findings.unshift({ ruleId: "spf-single-record", severity: tree.error.kind === "multiple" ? "error" : "warning", subject: `${root} SPF`, message: tree.error.message, rfc: "RFC 7208 §4.5" });
  }
  return analysis;
}

async function selectRecord(r: DnsResolver, d: string, n: SpfNode, incomplete: string[]): Promise<string | undefined> {
  let txt: string[][];
  try {
    txt = await r.resolveTxt(d);
  } catch (e) {
    if (isNoAnswer(e)) {
      n.error = { kind: "none", message: `${d} has no TXT records, so no SPF record` };
    } else {
      n.error = { kind: "dns", message: `TXT ${d}: DNS ${errorCode(e) ?? "error"}` };
      incomplete.push(n.error.message);
    }
    return undefined;
  }
  const records = txt.map((c) => c.join("")).filter(isSpfRecord);
  if (records.length === 0) {
    n.error = { kind: "none", message: `${d} publishes no SPF record` };
    return undefined;
  }
  if (records.length > 1) {
    n.error = { kind: "multiple", message: `${d} publishes ${records.length} SPF records (RFC 7208 §4.5)` };
    return undefined;
  }
  return records[0];
}

function targets(rec: SpfRecord): { spec: string; via: "include" | "redirect" }[] {
  const out: { spec: string; via: "include" | "redirect" }[] = [];
  for (const t of rec.terms) {
    if (t.kind === "mechanism" && t.name === "include") out.push({ spec: t.domainSpec as string, via: "include" });
  }
  // redirect is ignored when "all" is present (RFC 7208 §6.1)
  const hasAll = rec.terms.some((t) => t.kind === "mechanism" && t.name === "all");
  if (rec.redirect !== undefined && !hasAll) out.push({ spec: rec.redirect, via: "redirect" });
  return out;
}

function isLookup(t: Term, rec: SpfRecord): boolean {
  if (t.kind === "modifier") {
    return t.name === "redirect" && !rec.terms.some((x) => x.kind === "mechanism" && x.name === "all");
  }
  return ["include", "a", "mx", "ptr", "exists"].includes(t.name);
}

async function countTerms(r: DnsResolver, rec: SpfRecord, d: string, n: SpfNode, incomplete: string[]): Promise<void> {
  for (const t of rec.terms) {
    if (!isLookup(t, rec)) continue;
    n.ownLookups++;
    if (t.kind !== "mechanism" || !["a", "mx", "exists"].includes(t.name)) continue;
    const spec = t.domainSpec ?? d;
    if (/%/.test(spec)) {
      n.macroTerms.push(`${t.name}:${spec}`);
      continue;
    }
    const target = spec.toLowerCase().replace(/\.$/, "");
    const answered = await probe(r, t.name, target, n, incomplete);
    if (answered === false) n.voidLookups++;
  }
}

/** true: answers; false: void (NXDOMAIN/NODATA); undefined: DNS failure. */
async function probe(r: DnsResolver, kind: string, name: string, n: SpfNode, incomplete: string[]): Promise<boolean | undefined> {
  const ask = async <T>(q: () => Promise<T[]>): Promise<T[] | undefined | null> => {
    try {
      return await q();
    } catch (e) {
      if (isNoAnswer(e)) return null;
      incomplete.push(`${kind} ${name}: DNS ${errorCode(e) ?? "error"}`);
      return undefined;
    }
  };
  if (kind === "mx") {
    const mx = await ask(() => r.resolveMx(name));
    if (mx === undefined) return undefined;
    if (mx === null || mx.length === 0) return false;
    if (mx.length > 10) n.mxNames[name] = mx.length;
    return true;
  }
  const a = await ask(() => r.resolve4(name));
  if (kind === "exists") return a === undefined ? undefined : a !== null && a.length > 0;
  const aaaa = await ask(() => r.resolve6(name));
  if (a === undefined || aaaa === undefined) return (a ?? aaaa) ? true : undefined;
  return (a?.length ?? 0) + (aaaa?.length ?? 0) > 0;
}

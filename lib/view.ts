import { isAtOrBelow } from "./names";
import type { SpfAnalysis } from "./spf/analyze";

/**
 * The domain view every rule reads: records grouped by name and type, from
 * whatever source (component args, stack resources, preview JSON, live DNS).
 * Provider-specific shapes are normalised by the builder that makes the view,
 * never inside a rule.
 */
export interface ViewRecord {
  /** FQDN, lowercase, no trailing dot. */
  name: string;
  type: string;
  ttl?: number;
  /** Known values in presentation form (TXT unsplit). */
  values: string[];
  /** Values not known yet (computed during preview): rules skip them. */
  unknownValues?: number;
  /** TXT: the character-strings each value is sent as, when the source says so. */
  strings?: string[][];
  /** Cloudflare's HTTP proxy flag. */
  proxied?: boolean;
  /** Where the record comes from: a resource name or URN, or "dns". */
  source?: string;
}

export interface ViewFacts {
  /** SPF analyses (includes expanded through DNS), by owner name. */
  spf?: Record<string, SpfAnalysis>;
  /** Record sets a stack declared, to compare with a live view (`maildns verify --expect`). */
  expected?: { name: string; type: string; values: string[] }[];
  /** Live view: names whose lookups failed (REFUSED, SERVFAIL, timeout): their absence proves nothing. */
  unresolved?: string[];
}

export interface DomainView {
  /** Zones held completely: a name missing there does not exist. */
  readonly zones: readonly string[];
  readonly records: readonly ViewRecord[];
  readonly facts: ViewFacts;
  /** Made from answers of live DNS. */
  readonly live: boolean;
  /** Record sets at a name, optionally of one type. */
  at(name: string, type?: string): ViewRecord[];
  /** Known values at name/type, over all record sets there. */
  values(name: string, type: string): string[];
  /** Every owner name, in first-seen order. */
  names(): string[];
  /**
   * True when the view's silence about `name` means it has no such records:
   * it lies in a zone the view holds completely, or (live view) its lookups
   * were answered.
   */
  knows(name: string): boolean;
}

export interface ViewOptions {
  zones?: string[];
  facts?: ViewFacts;
  live?: boolean;
}

export function createView(records: readonly ViewRecord[], opts: ViewOptions = {}): DomainView {
  const byName = new Map<string, ViewRecord[]>();
  for (const r of records) {
    const list = byName.get(r.name);
    if (list) list.push(r);
    else byName.set(r.name, [r]);
  }
  const zones = [...new Set(opts.zones ?? [])];
  return {
    zones,
    records,
    facts: opts.facts ?? {},
    live: opts.live ?? false,
    at: (name, type) => (byName.get(name) ?? []).filter((r) => type === undefined || r.type === type),
    values: (name, type) => (byName.get(name) ?? []).filter((r) => r.type === type).flatMap((r) => r.values),
    names: () => [...byName.keys()],
    knows: (name) => (opts.live ? !(opts.facts?.unresolved ?? []).includes(name) : zones.some((z) => isAtOrBelow(name, z))),
  };
}

/** A copy of the view with facts added. */
export function withFacts(view: DomainView, facts: ViewFacts): DomainView {
  return createView(view.records, { zones: [...view.zones], live: view.live, facts: { ...view.facts, ...facts } });
}

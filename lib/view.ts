import { isAtOrBelow } from "./names";
import type { DmarcDiscovery } from "./dmarc-discovery";
import type { DnsblResult } from "./dnsbl";
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
  /** Route 53 alias: the record answers with the values of this name (an address for A/AAAA). */
  alias?: string;
  /** Route 53 set identifier (weighted, latency, failover...): sets of one name and type are alternatives, one answered at a time. */
  set?: string;
  /** Where the record comes from: a resource name or URN, or "dns". */
  source?: string;
}

export interface ViewFacts {
  /** SPF analyses (includes expanded through DNS), by owner name. */
  spf?: Record<string, SpfAnalysis>;
  /** Record sets a stack declared, to compare with a live view (`maildns verify --expect`). */
  expected?: { name: string; type: string; values: string[] }[];
  /**
   * Live view: the outcome of every question asked, keyed "name TYPE":
   * "answer", "nodata", "nxdomain", or the reason it failed (SERVFAIL,
   * timeout, CNAME loop...). A failed question's silence proves nothing.
   */
  questions?: Record<string, string>;
  /** The mail domains the view is about (verify's arguments): rules about what a mail domain must have apply to them. */
  mailDomains?: string[];
  /** How receivers find each mail domain's DMARC policy (RFC 7489 §6.6.3, RFC 9989 tree walk). */
  dmarcPolicy?: Record<string, DmarcDiscovery>;
  /** DNS blocklist answers for the mail hosts' addresses (`maildns verify --dnsbl`). */
  dnsbl?: DnsblResult[];
  /**
   * MTA-STS policies by mail domain (RFC 8461 §3.2): the text maildns rendered
   * or fetched from https://mta-sts.<domain>/.well-known/mta-sts.txt, or why
   * it could not be had ("invalid": the server's answer is unusable; "unreachable").
   */
  mtaSts?: Record<string, { text?: string; error?: string; kind?: "invalid" | "unreachable" }>;
  /** Whether answers at a name (a TLSA owner, or a zone above it) are DNSSEC-signed (verify: RRSIGs or the AD bit). */
  dnssec?: Record<string, boolean>;
  /** PEM certificates the servers present (`maildns verify --tlsa-cert`), for tlsa-matches-certificate. */
  tlsaCertificates?: string[];
}

/** Outcomes of a question that prove what the name has (see ViewFacts.questions). */
export const ANSWERED = new Set(["answer", "nodata", "nxdomain"]);

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
   * True when the view's silence about `name` (of `type`, or of any type)
   * means it has no such records: it lies in a zone the view holds
   * completely, or (live view) the questions were asked and answered.
   */
  knows(name: string, type?: string): boolean;
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
    knows: (name, type) => (opts.live ? answered(opts.facts?.questions ?? {}, name, type) : zones.some((z) => isAtOrBelow(name, z))),
  };
}

function answered(questions: Record<string, string>, name: string, type?: string): boolean {
  if (type !== undefined) return ANSWERED.has(questions[`${name} ${type}`] ?? "");
  const asked = questionsAt(questions, name);
  return asked.length > 0 && asked.every((q) => ANSWERED.has(questions[q] as string));
}

/** The questions ("name TYPE") asked about `name`, of any type. */
export function questionsAt(questions: Record<string, string>, name: string): string[] {
  return Object.keys(questions).filter((q) => q.slice(0, q.lastIndexOf(" ")) === name);
}

/** A copy of the view with facts added. */
export function withFacts(view: DomainView, facts: ViewFacts): DomainView {
  return createView(view.records, { zones: [...view.zones], live: view.live, facts: { ...view.facts, ...facts } });
}

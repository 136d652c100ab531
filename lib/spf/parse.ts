import { isIPv4, isIPv6 } from "node:net";
import { domainSpecError, tokenizeMacroString } from "./macro";

/**
 * SPF record syntax (RFC 7208 §4.6, §5, §6, §12). Hand-written: the npm SPF
 * parsers either stop at the first error, accept what the ABNF forbids
 * (leading zeros, dual CIDR on ip4, bare ip4), or skip macro syntax.
 */
export type Qualifier = "+" | "-" | "~" | "?";
export type MechanismName = "all" | "include" | "a" | "mx" | "ptr" | "ip4" | "ip6" | "exists";

export interface Mechanism {
  kind: "mechanism";
  qualifier: Qualifier;
  /** The qualifier was written out (not the default "+"). */
  explicitQualifier: boolean;
  name: MechanismName;
  domainSpec?: string;
  network?: string;
  cidr4?: number;
  cidr6?: number;
}

export interface Modifier {
  kind: "modifier";
  name: string;
  value: string;
}

export type Term = Mechanism | Modifier;

export interface SpfRecord {
  terms: Term[];
  redirect?: string;
  exp?: string;
}

export interface SpfSyntaxError {
  term: string;
  message: string;
}

export interface SpfParseResult {
  record?: SpfRecord;
  errors: SpfSyntaxError[];
}

/** DNS-querying terms (RFC 7208 §4.6.4). */
export const LOOKUP_TERMS: readonly string[] = ["include", "a", "mx", "ptr", "exists", "redirect"];

const VERSION = /^v=spf1(?: |$)/i;
const MODIFIER = /^([A-Za-z][A-Za-z0-9\-_.]*)=(.*)$/s;
const DIRECTIVE = /^([+\-~?]?)([A-Za-z][A-Za-z0-9\-_.]*)(.*)$/s;
const CIDR4 = /^(?:0|[1-9][0-9]?)$/;
const CIDR6 = /^(?:0|[1-9][0-9]{0,2})$/;

/** True when the TXT string is an SPF version 1 record (RFC 7208 §4.5). */
export function isSpfRecord(txt: string): boolean {
  return VERSION.test(txt);
}

/** Parse a whole record. Never throws; collects every error. */
export function parseSpf(text: string): SpfParseResult {
  const errors: SpfSyntaxError[] = [];
  if (!isSpfRecord(text)) {
    return { errors: [{ term: text.slice(0, 12), message: 'the record does not start with "v=spf1" (RFC 7208 §4.5)' }] };
  }
  if (/[^\x20-\x7e]/.test(text)) {
    errors.push({ term: text, message: "the record has characters outside printable US-ASCII (RFC 7208 §3.1)" });
  }
  const terms: Term[] = [];
  const record: SpfRecord = { terms };
  for (const raw of text.slice(6).split(" ").filter((t) => t !== "")) {
    const term = parseTerm(raw);
    if (typeof term === "string") {
      errors.push({ term: raw, message: term });
      continue;
    }
    if (term.kind === "modifier" && (term.name === "redirect" || term.name === "exp")) {
      if (record[term.name] !== undefined) {
        errors.push({ term: raw, message: `"${term.name}" appears more than once (RFC 7208 §6)` });
        continue;
      }
      record[term.name] = term.value;
    }
    terms.push(term);
  }
  return errors.length > 0 ? { errors } : { record, errors };
}

function parseTerm(raw: string): Term | string {
  const mod = MODIFIER.exec(raw);
  if (mod) {
    const name = (mod[1] as string).toLowerCase();
    const value = mod[2] as string;
    if (name === "redirect" || name === "exp") {
      const err = domainSpecError(value);
      return err ? `${name}=: ${err}` : { kind: "modifier", name, value };
    }
    const tokens = tokenizeMacroString(value);
    return typeof tokens === "string" ? `modifier ${name}: ${tokens}` : { kind: "modifier", name, value };
  }
  const d = DIRECTIVE.exec(raw);
  if (!d) return `"${raw}" is neither a mechanism nor a modifier (RFC 7208 §4.6.1)`;
  const qualifier = (d[1] || "+") as Qualifier;
  const name = (d[2] as string).toLowerCase();
  const rest = d[3] as string;
  const base = { kind: "mechanism" as const, qualifier, explicitQualifier: d[1] !== "" };
  switch (name) {
    case "all":
      return rest === "" ? { ...base, name } : `"all" takes no argument (RFC 7208 §5.1)`;
    case "include":
    case "exists": {
      if (!rest.startsWith(":")) return `"${name}" needs ":" and a domain-spec (RFC 7208 §5.2, §5.7)`;
      const err = domainSpecError(rest.slice(1));
      return err ? `${name}: ${err}` : { ...base, name, domainSpec: rest.slice(1) };
    }
    case "ptr": {
      if (rest === "") return { ...base, name };
      if (!rest.startsWith(":")) return `"ptr" takes only ":" and a domain-spec (RFC 7208 §5.5)`;
      const err = domainSpecError(rest.slice(1));
      return err ? `ptr: ${err}` : { ...base, name, domainSpec: rest.slice(1) };
    }
    case "a":
    case "mx": {
      const m = /^(?::(.*?))?(?:\/([0-9]+))?(?:\/\/([0-9]+))?$/s.exec(rest);
      if (!m) return `"${raw}": bad argument; expected ${name}[:domain][/cidr4][//cidr6] (RFC 7208 §5.3, §5.4)`;
      const mech: Mechanism = { ...base, name };
      if (m[1] !== undefined) {
        const err = domainSpecError(m[1]);
        if (err) return `${name}: ${err}`;
        mech.domainSpec = m[1];
      }
      const c = dualCidr(m[2], m[3]);
      return typeof c === "string" ? c : { ...mech, ...c };
    }
    case "ip4":
    case "ip6": {
      const m = /^:([^/]*)(?:\/([0-9]+))?$/.exec(rest);
      if (!m) return `"${raw}": expected ${name}:network[/prefix] (RFC 7208 §5.6)`;
      const network = m[1] as string;
      const ok = name === "ip4" ? isIPv4(network) : isIPv6(network) && !network.includes("%");
      if (!ok) return `"${network}" is not a valid ${name === "ip4" ? "IPv4" : "IPv6"} address (RFC 7208 §5.6)`;
      const mech: Mechanism = { ...base, name, network };
      if (m[2] !== undefined) {
        const c = name === "ip4" ? dualCidr(m[2], undefined) : dualCidr(undefined, m[2]);
        if (typeof c === "string") return c;
        Object.assign(mech, c);
      }
      return mech;
    }
    default:
      return `"${name}" is not a mechanism (RFC 7208 §5)`;
  }
}

function dualCidr(c4: string | undefined, c6: string | undefined): { cidr4?: number; cidr6?: number } | string {
  const out: { cidr4?: number; cidr6?: number } = {};
  if (c4 !== undefined) {
    if (!CIDR4.test(c4) || Number(c4) > 32) return `"/${c4}" is not an IPv4 prefix length 0-32 without leading zeros (RFC 7208 §5.6)`;
    out.cidr4 = Number(c4);
  }
  if (c6 !== undefined) {
    if (!CIDR6.test(c6) || Number(c6) > 128) return `"/${c6}" is not an IPv6 prefix length 0-128 without leading zeros (RFC 7208 §5.6)`;
    out.cidr6 = Number(c6);
  }
  return out;
}

/** Render one term in canonical presentation form. */
export function formatTerm(t: Term): string {
  if (t.kind === "modifier") return `${t.name}=${t.value}`;
  const q = t.explicitQualifier ? t.qualifier : "";
  let s = `${q}${t.name}`;
  if (t.network !== undefined) {
    // ip4/ip6 take a single prefix length (RFC 7208 §5.6)
    const prefix = t.cidr4 ?? t.cidr6;
    return `${s}:${t.network}${prefix !== undefined ? `/${prefix}` : ""}`;
  }
  if (t.domainSpec !== undefined) s += `:${t.domainSpec}`;
  if (t.cidr4 !== undefined) s += `/${t.cidr4}`;
  if (t.cidr6 !== undefined) s += `//${t.cidr6}`;
  return s;
}

export function formatSpf(record: SpfRecord): string {
  return ["v=spf1", ...record.terms.map(formatTerm)].join(" ");
}

/** The record's own DNS-querying terms (RFC 7208 §4.6.4), not counting nested ones. */
export function ownLookupTerms(record: SpfRecord): Term[] {
  return record.terms.filter((t) => LOOKUP_TERMS.includes(t.name) && (t.kind === "mechanism" || t.name === "redirect"));
}

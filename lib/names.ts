import { domainToASCII } from "node:url";
import { getDomain } from "tldts";
import { MailDnsError } from "./errors";

/**
 * Domain-name syntax (RFC 1035 §2.3.4, RFC 1123 §2.1, RFC 5890).
 *
 * Names are normalised to lowercase A-labels without a trailing dot. Host
 * names (A/AAAA owners, MX and PTR targets) are strict LDH; owner names may
 * also use underscore labels (`_dmarc`, `_domainkey`, `_report`, `_mta-sts`)
 * and a leading wildcard.
 */
export type NameKind = "host" | "owner";

export const MAX_LABEL_OCTETS = 63;
export const MAX_NAME_OCTETS = 253;
export const NAME_RFC = "RFC 1035 §2.3.4, RFC 1123 §2.1";

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const UNDERSCORE_LABEL = /^_[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Lowercase, strip one trailing dot, convert U-labels to A-labels. Never throws. */
export function canonicalName(input: string): string {
  let s = input.trim();
  if (s.endsWith(".") && s !== ".") s = s.slice(0, -1);
  // Only names with non-ASCII characters go through IDNA (UTS #46 via WHATWG URL);
  // ASCII names keep their underscores and other characters for the checks below.
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) {
    const ascii = domainToASCII(s);
    if (ascii !== "") s = ascii;
  }
  return s.toLowerCase();
}

/** The problems of a (canonical) name; empty when valid. */
export function nameProblems(name: string, kind: NameKind = "owner"): string[] {
  const problems: string[] = [];
  if (name === "") return ["the name is empty"];
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) problems.push("it is not a valid internationalised name (no A-label form exists)");
  if (Buffer.byteLength(name) > MAX_NAME_OCTETS) {
    problems.push(`it is ${Buffer.byteLength(name)} octets long; a name is at most ${MAX_NAME_OCTETS}`);
  }
  const labels = name.split(".");
  labels.forEach((label, i) => {
    if (label === "") {
      problems.push("it has an empty label");
      return;
    }
    if (Buffer.byteLength(label) > MAX_LABEL_OCTETS) {
      problems.push(`label "${label.slice(0, 20)}..." is ${Buffer.byteLength(label)} octets; a label is at most ${MAX_LABEL_OCTETS}`);
      return;
    }
    if (LDH_LABEL.test(label)) return;
    if (kind === "owner" && label === "*" && i === 0) return;
    if (kind === "owner" && UNDERSCORE_LABEL.test(label)) return;
    problems.push(
      kind === "host"
        ? `label "${label}" is not letters, digits and inner hyphens (host names allow nothing else)`
        : `label "${label}" is not letters, digits and inner hyphens, nor an underscore label`,
    );
  });
  if (labels.length > 1 && /^[0-9]+$/.test(labels[labels.length - 1] ?? "")) {
    problems.push("its top-level label is all digits (it looks like an address, not a name)");
  }
  return problems;
}

export interface NormalizeOptions {
  kind?: NameKind;
  /** Field path reported in the error. */
  field?: string;
  domain?: string;
}

/** Canonicalise and validate a name; throws MailDnsError("invalid-name", rule name-syntax). */
export function normalizeName(input: unknown, opts: NormalizeOptions = {}): string {
  if (typeof input !== "string") {
    throw new MailDnsError("invalid-name", "a domain name must be a string", {
      domain: opts.domain, field: opts.field, value: input, ruleId: "name-syntax", rfc: NAME_RFC,
    });
  }
  const name = canonicalName(input);
  const problems = nameProblems(name, opts.kind ?? "owner");
  if (problems.length > 0) {
    throw new MailDnsError("invalid-name", `not a valid domain name: ${problems.join("; ")}`, {
      domain: opts.domain, field: opts.field, value: input, ruleId: "name-syntax", rfc: NAME_RFC,
    });
  }
  return name;
}

export function isValidName(name: string, kind: NameKind = "owner"): boolean {
  return nameProblems(canonicalName(name), kind).length === 0;
}

/** True when `name` equals `parent` or lies below it (both canonical). */
export function isAtOrBelow(name: string, parent: string): boolean {
  return name === parent || name.endsWith(`.${parent}`);
}

/** `name` relative to `zone` ("@" for the apex); the name itself if outside the zone. */
export function relativeName(name: string, zone: string): string {
  if (name === zone) return "@";
  return name.endsWith(`.${zone}`) ? name.slice(0, -(zone.length + 1)) : name;
}

/**
 * The organisational domain (RFC 7489 §3.2) from the Public Suffix List
 * (tldts). Names under an unlisted suffix fall back to the last two labels.
 */
export function organizationalDomain(name: string): string {
  const n = canonicalName(name);
  const d = getDomain(n, { allowPrivateDomains: false });
  if (d) return d;
  const labels = n.split(".");
  return labels.slice(-2).join(".");
}

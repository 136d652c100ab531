import { MailDnsError } from "./errors";
import { Finding } from "./finding";
import { canonicalName, isValidName, organizationalDomain } from "./names";

/**
 * DMARC records: RFC 9989 (DMARCbis: tags np, psd, t; pct, rf, ri removed;
 * any tag order after v) and RFC 7489, which receivers still run (§6.3–§6.4,
 * §7.1). Tag names and the literal tag values are ABNF strings and so
 * case-insensitive (RFC 5234 §2.3); the version "DMARC1" is written as
 * %x44.4D.41.52.43.31 and so is case-sensitive. Hand-written: the npm DMARC
 * parsers drop unknown tags silently and do not know RFC 9989.
 */
export type DmarcPolicy = "none" | "quarantine" | "reject";

export interface ReportUri {
  uri: string;
  address: string;
  domain: string;
  /** Size limit in octets from a `!10m` suffix. */
  maxBytes?: number;
}

export interface DmarcTags {
  p?: DmarcPolicy;
  sp?: DmarcPolicy;
  np?: DmarcPolicy;
  adkim?: "r" | "s";
  aspf?: "r" | "s";
  fo?: string[];
  rua?: ReportUri[];
  ruf?: ReportUri[];
  pct?: number;
  rf?: string;
  ri?: number;
  psd?: "y" | "n" | "u";
  t?: "y" | "n";
}

export interface DmarcParseResult {
  /** Present when the text is a DMARC record at all (starts with v=DMARC1). */
  tags?: DmarcTags;
  /** Raw tag list in order, as written. */
  raw: [string, string][];
  findings: Finding[];
}

export const DMARC_RFC = "RFC 9989, RFC 7489 §6.3";
const POLICIES = ["none", "quarantine", "reject"];
const KNOWN = ["v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf", "ri", "psd", "t"];
const DEPRECATED = ["pct", "rf", "ri"];

/** The text starts with the DMARC version tag: receivers read it as a DMARC record. */
export function isDmarcRecord(txt: string): boolean {
  return /^[vV][ \t]*=[ \t]*DMARC1[ \t]*(;|$)/.test(txt);
}

/** Parse one DMARC TXT value; never throws. `subject` names the record in findings. */
export function parseDmarc(text: string, subject = "_dmarc"): DmarcParseResult {
  const findings: Finding[] = [];
  const err = (message: string, rfc = DMARC_RFC) => findings.push({ ruleId: "dmarc-syntax", severity: "error", subject, message, rfc });
  const warn = (message: string, rfc = DMARC_RFC) => findings.push({ ruleId: "dmarc-syntax", severity: "warning", subject, message, rfc });
  const raw: [string, string][] = [];
  for (const part of text.split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq < 0) {
      err(`"${part.trim()}" is not a tag=value pair (RFC 7489 §6.4)`, "RFC 7489 §6.4");
      continue;
    }
    raw.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  if (!isDmarcRecord(text)) {
    err('the record must begin with "v=DMARC1" (RFC 9989, RFC 7489 §6.3); receivers ignore it');
    return { raw, findings };
  }
  const tags: DmarcTags = {};
  const seen = new Set<string>();
  raw.slice(1).forEach(([name, value], i) => {
    const key = name.toLowerCase();
    if (seen.has(key)) {
      err(`tag "${name}" appears more than once (RFC 7489 §6.3)`);
      return;
    }
    seen.add(key);
    if (!KNOWN.includes(key) || key === "v") {
      warn(`unknown tag "${name}" is ignored by receivers (RFC 9989); check its spelling`);
      return;
    }
    if (key === "p" && i !== 0) warn('"p" does not follow "v" directly: RFC 9989 allows any order, but RFC 7489 receivers (§6.3) may discard the record', "RFC 9989, RFC 7489 §6.3");
    if (DEPRECATED.includes(key)) warn(`tag "${key}" is removed by RFC 9989 (receivers following it ignore it), but RFC 7489 receivers still read it`, "RFC 9989, RFC 7489 §6.3");
    const bad = applyTag(tags, key, value);
    // A bad value of a tag RFC 9989 removed only matters to RFC 7489 receivers.
    if (bad) (DEPRECATED.includes(key) ? warn : err)(bad, DEPRECATED.includes(key) ? "RFC 9989, RFC 7489 §6.3" : DMARC_RFC);
  });
  if (tags.p === undefined) err('the "p" tag is missing: RFC 7489 receivers (§6.3) discard the record, RFC 9989 receivers apply p=none at most');
  return { tags, raw, findings };
}

function applyTag(tags: DmarcTags, key: string, raw: string): string | undefined {
  // Literal values compare case-insensitively (RFC 5234 §2.3); URIs keep their case.
  const value = key === "rua" || key === "ruf" ? raw : raw.toLowerCase();
  switch (key) {
    case "p":
    case "sp":
    case "np":
      if (!POLICIES.includes(value)) return `${key}=${raw}: must be none, quarantine or reject (RFC 9989, RFC 7489 §6.3)`;
      tags[key] = value as DmarcPolicy;
      return undefined;
    case "adkim":
    case "aspf":
      if (value !== "r" && value !== "s") return `${key}=${raw}: must be r or s (RFC 9989, RFC 7489 §6.3)`;
      tags[key] = value;
      return undefined;
    case "fo": {
      const opts = value.split(":").map((x) => x.trim());
      if (opts.some((o) => !["0", "1", "d", "s"].includes(o))) return `fo=${value}: options are 0, 1, d, s separated by ":" (RFC 7489 §6.3)`;
      tags.fo = opts;
      return undefined;
    }
    case "rua":
    case "ruf": {
      const uris: ReportUri[] = [];
      for (const u of value.split(",")) {
        const r = parseReportUri(u.trim());
        if (typeof r === "string") return `${key}: ${r}`;
        uris.push(r);
      }
      tags[key] = uris;
      return undefined;
    }
    case "pct":
      if (!/^[0-9]{1,3}$/.test(value) || Number(value) > 100) return `pct=${value}: must be an integer 0-100 (RFC 7489 §6.3)`;
      tags.pct = Number(value);
      return undefined;
    case "ri":
      if (!/^[0-9]{1,10}$/.test(value) || Number(value) > 4294967295) return `ri=${value}: must be a 32-bit unsigned integer (RFC 7489 §6.3)`;
      tags.ri = Number(value);
      return undefined;
    case "rf":
      if (value.split(":").some((f) => f.trim().toLowerCase() !== "afrf")) return `rf=${value}: the only registered format is afrf (RFC 7489 §6.3)`;
      tags.rf = value;
      return undefined;
    case "psd":
      if (!["y", "n", "u"].includes(value)) return `psd=${raw}: must be y, n or u (RFC 9989)`;
      tags.psd = value as "y" | "n" | "u";
      return undefined;
    case "t":
      if (value !== "y" && value !== "n") return `t=${raw}: must be y or n (RFC 9989)`;
      tags.t = value;
      return undefined;
    default:
      return undefined;
  }
}

const SIZE = /^([0-9]+)([kmgt]?)$/i;
const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `mailto:addr[!size[kmgt]]` (RFC 7489 §6.2, §6.4). Returns an error text when invalid. */
export function parseReportUri(uri: string): ReportUri | string {
  const m = /^mailto:([^!]+)(?:!(.*))?$/i.exec(uri);
  if (!m) return `"${uri}" is not a mailto: URI (only mailto is defined for reports, RFC 7489 §6.2)`;
  let address: string;
  try {
    address = decodeURIComponent(m[1] as string);
  } catch {
    return `"${uri}" has a bad %-escape`;
  }
  const at = address.lastIndexOf("@");
  const domain = canonicalName(address.slice(at + 1));
  if (at <= 0 || !isValidName(domain, "host") || !domain.includes(".")) return `"${address}" is not a valid e-mail address`;
  const out: ReportUri = { uri, address, domain };
  if (m[2] !== undefined) {
    const s = SIZE.exec(m[2]);
    if (!s) return `"!${m[2]}" is not a size limit like !10m (RFC 7489 §6.4)`;
    out.maxBytes = Number(s[1]) * (UNITS[(s[2] as string).toLowerCase()] as number);
  }
  return out;
}

export interface DmarcSpec {
  p: DmarcPolicy;
  sp?: DmarcPolicy;
  np?: DmarcPolicy;
  adkim?: "r" | "s";
  aspf?: "r" | "s";
  rua?: string[];
  ruf?: string[];
  fo?: string[];
  psd?: "y" | "n" | "u";
  t?: "y" | "n";
}

/** Render an RFC 9989 DMARC record (no pct, rf or ri) in canonical order; validates by parsing the result. */
export function buildDmarc(spec: DmarcSpec, field = "dmarc"): string {
  const parts = [`v=DMARC1`, `p=${spec.p}`];
  if (spec.sp) parts.push(`sp=${spec.sp}`);
  if (spec.np) parts.push(`np=${spec.np}`);
  if (spec.adkim) parts.push(`adkim=${spec.adkim}`);
  if (spec.aspf) parts.push(`aspf=${spec.aspf}`);
  if (spec.rua?.length) parts.push(`rua=${spec.rua.map(toMailto).join(",")}`);
  if (spec.ruf?.length) parts.push(`ruf=${spec.ruf.map(toMailto).join(",")}`);
  if (spec.fo?.length) parts.push(`fo=${spec.fo.join(":")}`);
  if (spec.psd) parts.push(`psd=${spec.psd}`);
  if (spec.t) parts.push(`t=${spec.t}`);
  const text = parts.join("; ");
  const bad = parseDmarc(text).findings.find((f) => f.severity === "error");
  if (bad) throw new MailDnsError("invalid-dmarc", bad.message, { field, value: spec, ruleId: "dmarc-syntax", rfc: bad.rfc });
  return text;
}

function toMailto(addr: string): string {
  if (/^mailto:/i.test(addr)) return addr;
  // "," and "!" have meaning in the tag value and must be %-encoded (RFC 7489 §6.4).
  return `mailto:${addr.replace(/[,!;%\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)}`;
}

/** The structured spec of parsed tags (for round trips). */
export function specFromTags(t: DmarcTags): DmarcSpec | undefined {
  if (!t.p) return undefined;
  const spec: DmarcSpec = { p: t.p };
  if (t.sp) spec.sp = t.sp;
  if (t.np) spec.np = t.np;
  if (t.adkim) spec.adkim = t.adkim;
  if (t.aspf) spec.aspf = t.aspf;
  if (t.rua) spec.rua = t.rua.map((u) => u.uri);
  if (t.ruf) spec.ruf = t.ruf.map((u) => u.uri);
  if (t.fo) spec.fo = t.fo;
  if (t.psd) spec.psd = t.psd;
  if (t.t) spec.t = t.t;
  return spec;
}

/**
 * Report destinations outside the domain's organisational domain, each with
 * the owner name of the record that must authorise it (RFC 7489 §7.1):
 * `<domain>._report._dmarc.<destination>` holding "v=DMARC1".
 */
export function externalDestinations(domain: string, tags: DmarcTags): { uri: ReportUri; authorizationName: string }[] {
  const d = canonicalName(domain);
  const org = organizationalDomain(d);
  const out: { uri: ReportUri; authorizationName: string }[] = [];
  for (const u of [...(tags.rua ?? []), ...(tags.ruf ?? [])]) {
    if (organizationalDomain(u.domain) === org) continue;
    const authorizationName = `${d}._report._dmarc.${u.domain}`;
    if (!out.some((x) => x.authorizationName === authorizationName)) out.push({ uri: u, authorizationName });
  }
  return out;
}

/** The owner name of a domain's DMARC record. */
export function dmarcName(domain: string): string {
  return `_dmarc.${canonicalName(domain)}`;
}

import { MailDnsError } from "./errors";
import { Finding } from "./finding";
import { canonicalName, isValidName, organizationalDomain } from "./names";

/**
 * DMARC records (RFC 7489 §6.3–§6.4, §7.1; DMARCbis tags np, psd, t).
 * Hand-written: the npm DMARC parsers accept records out of order, drop
 * unknown tags silently, and do not know the DMARCbis tags.
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

export const DMARC_RFC = "RFC 7489 §6.3";
const POLICIES = ["none", "quarantine", "reject"];
const KNOWN = ["v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf", "ri", "psd", "t"];
const DEPRECATED = ["pct", "rf", "ri"];

export function isDmarcRecord(txt: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/.test(txt);
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
  if (raw[0]?.[0] !== "v" || raw[0]?.[1] !== "DMARC1") {
    err('the record must begin with "v=DMARC1" exactly (RFC 7489 §6.3)');
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
      warn(`unknown tag "${name}" is ignored (RFC 7489 §6.3)`);
      return;
    }
    if (key === "p" && i !== 0) err('"p" must follow "v" directly (RFC 7489 §6.3)');
    if (DEPRECATED.includes(key)) warn(`tag "${key}" is removed by DMARCbis; receivers may ignore it`, "DMARCbis §4.7");
    const bad = applyTag(tags, key, value);
    if (bad) err(bad);
  });
  if (tags.p === undefined) err('the "p" tag is required in a policy record (RFC 7489 §6.3)');
  return { tags, raw, findings };
}

function applyTag(tags: DmarcTags, key: string, value: string): string | undefined {
  switch (key) {
    case "p":
    case "sp":
    case "np":
      if (!POLICIES.includes(value)) return `${key}=${value}: must be none, quarantine or reject (RFC 7489 §6.3)`;
      tags[key] = value as DmarcPolicy;
      return undefined;
    case "adkim":
    case "aspf":
      if (value !== "r" && value !== "s") return `${key}=${value}: must be r or s (RFC 7489 §6.3)`;
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
      if (!["y", "n", "u"].includes(value)) return `psd=${value}: must be y, n or u (DMARCbis)`;
      tags.psd = value as "y" | "n" | "u";
      return undefined;
    case "t":
      if (value !== "y" && value !== "n") return `t=${value}: must be y or n (DMARCbis)`;
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
  pct?: number;
}

/** Render a DMARC record in canonical order; validates by parsing the result. */
export function buildDmarc(spec: DmarcSpec, field = "dmarc"): string {
  const parts = [`v=DMARC1`, `p=${spec.p}`];
  if (spec.sp) parts.push(`sp=${spec.sp}`);
  if (spec.np) parts.push(`np=${spec.np}`);
  if (spec.adkim) parts.push(`adkim=${spec.adkim}`);
  if (spec.aspf) parts.push(`aspf=${spec.aspf}`);
  if (spec.pct !== undefined) parts.push(`pct=${spec.pct}`);
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
  if (t.pct !== undefined) spec.pct = t.pct;
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

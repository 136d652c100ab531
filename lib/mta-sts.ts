import { createHash } from "node:crypto";
import type { Finding } from "./finding";
import { canonicalName } from "./names";

/**
 * MTA-STS (RFC 8461): the `_mta-sts` TXT record (§3.1) and the policy served
 * at https://mta-sts.<domain>/.well-known/mta-sts.txt (§3.2), parsed and
 * rendered; MX pattern matching (§4.1). Written here: the grammar is small
 * and no maintained package parses both halves.
 */
export const MTA_STS_RFC = "RFC 8461 §3.1";
export const MTA_STS_POLICY_RFC = "RFC 8461 §3.2";
export type MtaStsMode = "enforce" | "testing" | "none";
/** The longest max_age a policy may give (RFC 8461 §3.2): one year. */
export const MAX_AGE_LIMIT = 31557600;
/** The largest policy senders need read (RFC 8461 §3.3 suggests a limit of 64 KiB). */
export const POLICY_SIZE_LIMIT = 65536;

export function mtaStsName(domain: string): string {
  return `_mta-sts.${canonicalName(domain)}`;
}

export function mtaStsHost(domain: string): string {
  return `mta-sts.${canonicalName(domain)}`;
}

export function policyUrl(domain: string): string {
  return `https://${mtaStsHost(domain)}/.well-known/mta-sts.txt`;
}

export function isMtaStsRecord(txt: string): boolean {
  return /^v=STSv1(\s*;|\s*$)/.test(txt);
}

const ID = /^[A-Za-z0-9]{1,32}$/;
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

/** The TXT record: `v=STSv1; id=<1-32 alphanumerics>` plus extensions; every finding collected. */
export function parseMtaStsRecord(text: string, subject: string): { id?: string; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (message: string) => findings.push({ ruleId: "mta-sts-record-syntax", severity: "error", subject, message, rfc: MTA_STS_RFC });
  const fields = text.split(/[ \t]*;[ \t]*/);
  if (fields[fields.length - 1] === "") fields.pop();
  if (fields[0] !== "v=STSv1") {
    bad(`"${text}" does not start with v=STSv1 (case-sensitive): senders do not read it as an MTA-STS record`);
    return { findings };
  }
  let id: string | undefined;
  for (const f of fields.slice(1)) {
    const eq = f.indexOf("=");
    const name = eq < 0 ? f : f.slice(0, eq);
    const value = eq < 0 ? "" : f.slice(eq + 1);
    if (name === "id") {
      if (id !== undefined) bad("id is given twice");
      else if (!ID.test(value)) bad(`id=${value} is not 1 to 32 letters and digits`);
      else id = value;
    } else if (eq < 0 || !EXT_NAME.test(name) || !EXT_VALUE.test(value)) {
      bad(`"${f}" is neither id= nor a valid extension (name=value without spaces, "=" or ";")`);
    }
  }
  if (id === undefined && !findings.length) bad("the record has no id=: senders cannot tell when the policy changes");
  return { id, findings };
}

export interface MtaStsPolicy {
  version?: string;
  mode?: MtaStsMode;
  maxAge?: number;
  mx: string[];
}

/** The policy text (§3.2): `key: value` lines ending in LF or CRLF; unknown keys are extensions. */
export function parseMtaStsPolicy(text: string, subject: string): { policy: MtaStsPolicy; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (message: string) => findings.push({ ruleId: "mta-sts-policy-syntax", severity: "error", subject, message, rfc: MTA_STS_POLICY_RFC });
  const policy: MtaStsPolicy = { mx: [] };
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const m = /^([A-Za-z0-9_.-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m) return void bad(`line ${i + 1} "${line.slice(0, 60)}" is not "key: value"`);
    const [, key = "", value = ""] = m;
    if (key !== "mx" && seen.has(key)) bad(`${key} is given twice`);
    seen.add(key);
    if (key === "version") {
      if (i !== 0) bad("version is not the first line");
      if (value !== "STSv1") bad(`version: ${value} (only STSv1 is defined)`);
      policy.version = value;
    } else if (key === "mode") {
      if (value === "enforce" || value === "testing" || value === "none") policy.mode = value;
      else bad(`mode: ${value} (enforce, testing or none, case-sensitive)`);
    } else if (key === "max_age") {
      if (!/^[0-9]{1,10}$/.test(value) || Number(value) > MAX_AGE_LIMIT) bad(`max_age: ${value} (whole seconds, at most ${MAX_AGE_LIMIT})`);
      else policy.maxAge = Number(value);
    } else if (key === "mx") {
      if (!isMxPattern(value)) bad(`mx: ${value} is not a host name or a "*." wildcard of one`);
      else policy.mx.push(value.toLowerCase().replace(/\.$/, ""));
    }
  });
  if (policy.version === undefined) bad("no version: STSv1");
  if (policy.mode === undefined && !findings.some((f) => f.message.startsWith("mode:"))) bad("no mode");
  if (policy.maxAge === undefined && !findings.some((f) => f.message.startsWith("max_age:"))) bad("no max_age");
  if (policy.mode && policy.mode !== "none" && policy.mx.length === 0) bad(`mode ${policy.mode} without any mx: no MX host can match`);
  return { policy, findings };
}

function isMxPattern(v: string): boolean {
  const host = v.startsWith("*.") ? v.slice(2) : v;
  const labels = host.replace(/\.$/, "").split(".");
  return labels.length >= 2 && labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** RFC 8461 §4.1: a "*." pattern matches exactly one leftmost label. */
export function mxMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, "");
  const h = host.toLowerCase().replace(/\.$/, "");
  if (!p.startsWith("*.")) return p === h;
  const rest = h.slice(h.indexOf(".") + 1);
  return h.includes(".") && rest === p.slice(2) && !h.slice(0, h.indexOf(".")).includes("*");
}

/** The policy text maildns renders: LF line ends, the MX patterns sorted, nothing else. */
export function renderMtaStsPolicy(p: { mode: MtaStsMode; maxAge: number; mx: string[] }): string {
  const mx = [...new Set(p.mx.map((m) => m.toLowerCase().replace(/\.$/, "")))].sort();
  return ["version: STSv1", `mode: ${p.mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${p.maxAge}`, ""].join("\n");
}

/** The id of a policy: derived from its text, so it changes exactly when the policy does. */
export function mtaStsId(policyText: string): string {
  return createHash("sha256").update(policyText).digest("hex").slice(0, 32);
}

export function buildMtaStsRecord(policyText: string): string {
  return `v=STSv1; id=${mtaStsId(policyText)}`;
}

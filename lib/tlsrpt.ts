import type { Finding } from "./finding";
import { canonicalName } from "./names";

/**
 * SMTP TLS Reporting (RFC 8460 §3): `_smtp._tls.<domain>` TXT
 * `v=TLSRPTv1; rua=mailto:…,https://…`. Written here: a few lines of grammar.
 */
export const TLSRPT_RFC = "RFC 8460 §3";

export function tlsRptName(domain: string): string {
  return `_smtp._tls.${canonicalName(domain)}`;
}

export function isTlsRptRecord(txt: string): boolean {
  return /^v=TLSRPTv1(\s*;|\s*$)/.test(txt);
}

/** A report destination: an address becomes mailto:, https: and mailto: URIs stay. */
export function tlsRptUri(v: string): string | undefined {
  const s = v.trim();
  if (/^mailto:[^@\s,;!]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/i.test(s)) return s;
  if (/^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[^\s,;!]*)?$/i.test(s)) return s;
  if (/^[^@\s,;!:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(s)) return `mailto:${s}`;
  return undefined;
}

export function buildTlsRptRecord(rua: string[]): string {
  return `v=TLSRPTv1; rua=${rua.join(",")}`;
}

export function parseTlsRptRecord(text: string, subject: string): { rua: string[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (message: string) => findings.push({ ruleId: "tlsrpt-record-syntax", severity: "error", subject, message, rfc: TLSRPT_RFC });
  const fields = text.split(/[ \t]*;[ \t]*/);
  if (fields[fields.length - 1] === "") fields.pop();
  if (fields[0] !== "v=TLSRPTv1") {
    bad(`"${text}" does not start with v=TLSRPTv1 (case-sensitive): senders do not read it as a TLS reporting record`);
    return { rua: [], findings };
  }
  let rua: string[] | undefined;
  for (const f of fields.slice(1)) {
    const eq = f.indexOf("=");
    const name = eq < 0 ? f : f.slice(0, eq);
    if (name !== "rua") {
      if (eq < 0 || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/.test(name)) bad(`"${f}" is neither rua= nor a valid extension`);
      continue;
    }
    if (rua !== undefined) {
      bad("rua is given twice");
      continue;
    }
    rua = f.slice(eq + 1).split(/[ \t]*,[ \t]*/);
    for (const u of rua) if (!/^(mailto:[^@\s]+@\S+|https:\/\/\S+)$/i.test(u)) bad(`rua entry "${u}" is neither a mailto: nor an https: URI`);
  }
  if (rua === undefined) bad("the record has no rua=: senders have nowhere to send reports");
  return { rua: rua ?? [], findings };
}

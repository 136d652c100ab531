import { Finding } from "../finding";
import { isDmarcRecord } from "../dmarc";
import { isSpfRecord } from "../spf/parse";
import { defineRule, report } from "./rule";
import { txtValues } from "./select";

/**
 * Text meant as SPF that receivers do not read as SPF: "v=spf1" glued to
 * the next term, missing "v=", with spaces around "=", quoted, not at the
 * start; or a valid SPF record where nobody looks for one (_dmarc, DKIM).
 */
export default defineRule({
  id: "spf-near-miss",
  severity: "error",
  rfc: "RFC 7208 §4.5",
  summary: "text meant as SPF is an SPF record, at the right name",
  consequence: "receivers skip the text: the domain gets SPF none (or its other record is used), so its mail is unauthenticated by SPF",
  check(view) {
    const out: Finding[] = [];
    for (const t of txtValues(view)) {
      const subject = `${t.name} TXT`;
      if (isSpfRecord(t.value)) {
        if (/^_dmarc\.|\._domainkey\./.test(t.name)) {
          out.push(report(this, subject, `an SPF record at ${t.name} is never read: receivers look for SPF at the sending domain itself`, {
            hint: `move it to ${t.name.replace(/^.*?\._domainkey\.|^_dmarc\./, "")}`,
          }));
        }
        continue;
      }
      if (isDmarcRecord(t.value)) continue;
      if (/^\s*"?\s*v\s*=\s*spf1/i.test(t.value) || /^\s*spf1(\s|$)/i.test(t.value) || /\bv\s*=\s*spf1\b/i.test(t.value)) {
        out.push(report(this, subject, `"${t.value.slice(0, 40)}${t.value.length > 40 ? "..." : ""}" is not an SPF record: it must start with exactly "v=spf1" followed by a space or its end`, {
          hint: 'write "v=spf1 " at the very start, one space between terms, no quotes inside the value',
        }));
      }
    }
    return out;
  },
});

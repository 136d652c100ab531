import { Finding } from "../finding";
import { isDmarcRecord } from "../dmarc";
import { defineRule, report } from "./rule";
import { txtValues } from "./select";

/**
 * Text meant as DMARC that receivers do not read as DMARC: at _dmarc, a
 * value that mentions v=DMARC1 but does not start with it (or writes the
 * version in another case or number); elsewhere, a DMARC record at a name
 * receivers never query (the domain itself, a DKIM name).
 */
export default defineRule({
  id: "dmarc-near-miss",
  severity: "error",
  rfc: "RFC 9989, RFC 7489 §6.1, §6.6.3",
  summary: "text meant as DMARC is a DMARC record, at _dmarc",
  consequence: "receivers do not read it as a DMARC policy: unless a parent domain's applies, spoofed mail is delivered and bulk mail is rejected with 550 5.7.26",
  check(view) {
    const out: Finding[] = [];
    for (const t of txtValues(view)) {
      const subject = `${t.name} TXT`;
      const atDmarc = t.name.startsWith("_dmarc.");
      const isReportAuth = /\._report\._dmarc\./.test(t.name);
      if (isDmarcRecord(t.value)) {
        if (!atDmarc && !isReportAuth) {
          out.push(report(this, subject, `a DMARC record at ${t.name} is never read: receivers look for it at _dmarc.${t.name}`, { hint: `move it to _dmarc.${t.name}` }));
        }
        continue;
      }
      if (atDmarc && /v\s*=\s*dmarc/i.test(t.value)) {
        out.push(report(this, subject, `"${t.value.slice(0, 40)}${t.value.length > 40 ? "..." : ""}" is not a DMARC record: it must start with "v=DMARC1" (in that case) followed by ";" or its end`, {
          hint: 'start the value with "v=DMARC1; p=..."',
        }));
      }
    }
    return out;
  },
});

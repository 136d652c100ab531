import { Finding } from "../finding";
import { parseSpf } from "../spf/parse";
import { defineRule, report } from "./rule";
import { spfValues } from "./select";

/** Without "all" or "redirect" a record that matches nothing ends neutral. */
export default defineRule({
  id: "spf-missing-all",
  severity: "warning",
  rfc: "RFC 7208 §4.7",
  summary: "end the record with an all mechanism or a redirect",
  consequence: "mail from hosts the record does not list gets SPF neutral: receivers accept it as unauthenticated",
  check(view) {
    const out: Finding[] = [];
    for (const s of spfValues(view)) {
      const rec = parseSpf(s.value).record;
      if (!rec) continue;
      const hasAll = rec.terms.some((t) => t.kind === "mechanism" && t.name === "all");
      if (!hasAll && rec.redirect === undefined) {
        out.push(report(this, `${s.name} SPF`, `the SPF record of ${s.name} has neither "all" nor "redirect", so unlisted senders get "neutral"`, { hint: 'end it with "-all"' }));
      }
    }
    return out;
  },
});

import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { groupByAnswer, spfValues } from "./select";

/** One v=spf1 record per name: two make every check a permerror. */
export default defineRule({
  id: "spf-single-record",
  severity: "error",
  rfc: "RFC 7208 §4.5",
  summary: "one v=spf1 record per name",
  consequence: "receivers return permerror for every message when a name has several SPF records: SPF fails for all mail",
  check(view) {
    const out: Finding[] = [];
    for (const [name, recs] of groupByAnswer(spfValues(view))) {
      if (recs.length > 1) {
        out.push(report(this, `${name} SPF`, `${name} has ${recs.length} SPF records; receivers return permerror`, {
          hint: "merge them into one record (the mechanisms of both, one final all)",
        }));
      }
    }
    return out;
  },
});

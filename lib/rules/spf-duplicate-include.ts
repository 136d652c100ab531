import { Finding } from "../finding";
import { parseSpf } from "../spf/parse";
import { defineRule, report } from "./rule";
import { spfAnalyses } from "./spf-facts";
import { spfValues } from "./select";

/** The same include twice spends lookups for nothing. */
export default defineRule({
  id: "spf-duplicate-include",
  severity: "warning",
  rfc: "RFC 7208 §4.6.4",
  summary: "include each domain once",
  consequence: "each repeated include spends DNS lookups toward the limit of 10; past the limit receivers return permerror",
  check(view) {
    const out: Finding[] = [];
    const reported = new Set<string>();
    for (const s of spfValues(view)) {
      const specs = (parseSpf(s.value).record?.terms ?? []).flatMap((t) => (t.kind === "mechanism" && t.name === "include" ? [(t.domainSpec ?? "").toLowerCase()] : []));
      for (const d of new Set(specs.filter((x, i) => specs.indexOf(x) !== i))) {
        reported.add(`${s.name} ${d}`);
        out.push(report(this, `${s.name} SPF`, `include:${d} appears more than once in the record of ${s.name}`));
      }
    }
    for (const { name, analysis } of spfAnalyses(view)) {
      for (const d of analysis.repeatedIncludes) {
        if (!reported.has(`${name} ${d}`)) out.push(report(this, `${name} SPF`, `${d} is reached more than once through the includes of ${name}, each time costing lookups`));
      }
    }
    return out;
  },
});

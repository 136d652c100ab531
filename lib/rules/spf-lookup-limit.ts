import { Finding } from "../finding";
import { parseSpf, ownLookupTerms } from "../spf/parse";
import { defineRule, report, unverified } from "./rule";
import { spfAnalyses } from "./spf-facts";
import { spfValues } from "./select";

/**
 * At most 10 DNS-querying terms per check, includes and redirect expanded.
 * With collected facts the whole tree counts; without, only the record's own
 * terms (a lower bound).
 */
export default defineRule({
  id: "spf-lookup-limit",
  severity: "error",
  rfc: "RFC 7208 §4.6.4",
  summary: "at most 10 DNS-querying terms, includes and redirect expanded",
  consequence: "receivers stop after 10 lookups with permerror: SPF fails for all mail (many reject with 550 5.7.23), and DMARC can pass only through DKIM",
  defaults: { limit: 10 },
  check(view, { limit }) {
    const out: Finding[] = [];
    const analysed = new Set<string>();
    for (const { name, analysis } of spfAnalyses(view)) {
      analysed.add(name);
      const tree = analysis.tree.children.map((c) => `${c.domain}=${c.lookups}`).join(", ");
      if (analysis.lookups > limit) {
        out.push(report(this, `${name} SPF`, `the SPF policy of ${name} needs ${analysis.lookups} DNS lookups (own ${analysis.tree.ownLookups}${tree ? `; ${tree}` : ""}); more than ${limit} is a permerror`, {
          hint: "replace includes by the ip4/ip6 ranges they publish, or drop unused ones",
        }));
      } else if (analysis.incomplete.length > 0) {
        out.push(unverified(this, `${name} SPF`, `could not verify the lookup count of ${name} (at least ${analysis.lookups}): ${analysis.incomplete.join("; ")}`));
      }
    }
    for (const s of spfValues(view)) {
      if (analysed.has(s.name)) continue;
      const rec = parseSpf(s.value).record;
      const own = rec ? ownLookupTerms(rec).length : 0;
      if (own > limit) out.push(report(this, `${s.name} SPF`, `the SPF record of ${s.name} has ${own} DNS-querying terms of its own; more than ${limit} is a permerror`));
    }
    return out;
  },
});

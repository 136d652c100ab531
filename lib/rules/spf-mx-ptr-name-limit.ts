import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { spfAnalyses, walk } from "./spf-facts";

/** An mx term whose target has more than 10 MX names is a permerror. */
export default defineRule({
  id: "spf-mx-ptr-name-limit",
  severity: "error",
  rfc: "RFC 7208 §4.6.4",
  summary: "at most 10 names from one mx (or ptr) term",
  consequence: "receivers return permerror when one mx or ptr term yields more than 10 names: SPF fails",
  check(view) {
    const out: Finding[] = [];
    for (const { name, analysis } of spfAnalyses(view)) {
      walk(analysis.tree, (node) => {
        for (const [target, count] of Object.entries(node.mxNames)) {
          out.push(report(this, `${name} SPF`, `mx:${target} (in the record of ${node.domain}) has ${count} MX names; more than 10 is a permerror`));
        }
      });
    }
    return out;
  },
});

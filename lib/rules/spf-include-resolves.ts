import { Finding } from "../finding";
import { defineRule, report, unverified } from "./rule";
import { spfAnalyses, walk } from "./spf-facts";

/** Every include/redirect target publishes exactly one valid SPF record. */
export default defineRule({
  id: "spf-include-resolves",
  severity: "error",
  rfc: "RFC 7208 §5.2, §6.1",
  summary: "include and redirect targets publish exactly one valid SPF record",
  consequence: "receivers return permerror for the include (no record, several, or broken): SPF fails, and under an enforcing DMARC policy mail without aligned DKIM is rejected with 550 5.7.1",
  check(view) {
    const out: Finding[] = [];
    for (const { name, analysis } of spfAnalyses(view)) {
      walk(analysis.tree, (node) => {
        if (node.via === "root" || !node.error || node.error.kind === "loop") return;
        if (node.error.kind === "dns") {
          out.push(unverified(this, `${name} SPF`, `could not verify ${node.via} ${node.domain}: ${node.error.message}`));
          return;
        }
        out.push(report(this, `${name} SPF`, `${node.via} target ${node.domain}: ${node.error.message}; receivers return permerror`));
      });
    }
    return out;
  },
});

import { defineRule, report } from "./rule";
import { spfAnalyses } from "./spf-facts";

/** An include or redirect chain that returns to a domain already on it never ends. */
export default defineRule({
  id: "spf-include-loop",
  severity: "error",
  rfc: "RFC 7208 §4.6.4, §5.2",
  summary: "include and redirect chains must not loop",
  consequence: "receivers stop at the loop with permerror: SPF fails for all mail, and DMARC can pass only through DKIM",
  check(view) {
    return spfAnalyses(view).flatMap(({ name, analysis }) =>
      analysis.loops.map((loop) => report(this, `${name} SPF`, `include/redirect loop: ${loop.join(" -> ")}; evaluation ends in permerror`)),
    );
  },
});

import { defineRule, report } from "./rule";
import { spfAnalyses } from "./spf-facts";

/** At most 2 lookups that return no answer (NXDOMAIN or empty). */
export default defineRule({
  id: "spf-void-lookup-limit",
  severity: "error",
  rfc: "RFC 7208 §4.6.4",
  summary: "at most 2 DNS lookups that return no answer",
  consequence: "receivers return permerror after more than two lookups without an answer: SPF fails",
  defaults: { limit: 2 },
  check(view, { limit }) {
    return spfAnalyses(view)
      .filter(({ analysis }) => analysis.voidLookups > limit)
      .map(({ name, analysis }) =>
        report(this, `${name} SPF`, `the SPF policy of ${name} makes ${analysis.voidLookups} void lookups (names without records); more than ${limit} is a permerror`, {
          hint: "remove a/mx/exists terms that name hosts which no longer exist",
        }),
      );
  },
});

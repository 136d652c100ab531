import { parseSpf } from "../spf/parse";
import { defineRule, report } from "./rule";
import { spfValues } from "./select";

/** Every SPF record parses under the ABNF of RFC 7208 §12, macros included. */
export default defineRule({
  id: "spf-syntax",
  severity: "error",
  rfc: "RFC 7208 §12",
  summary: "the SPF record parses under the RFC 7208 ABNF, macros included",
  consequence: "receivers return permerror: SPF fails for all mail, and mail without aligned DKIM fails DMARC",
  check(view) {
    return spfValues(view).flatMap((s) =>
      parseSpf(s.value).errors.map((e) => report(this, `${s.name} SPF`, `"${e.term}": ${e.message}; receivers return permerror for this record`)),
    );
  },
});

import { Finding } from "../finding";
import { parseSpf } from "../spf/parse";
import { defineRule, report } from "./rule";
import { spfValues } from "./select";

/** "+all" (or a bare "all") authorises every host on the Internet. */
export default defineRule({
  id: "spf-no-plus-all",
  severity: "error",
  rfc: "RFC 7208 §5.1",
  summary: "+all authorises the world",
  consequence: "any host on the internet passes SPF for the domain: spoofed mail passes SPF, and DMARC through SPF alignment",
  check(view) {
    const out: Finding[] = [];
    for (const s of spfValues(view)) {
      const all = parseSpf(s.value).record?.terms.find((t) => t.kind === "mechanism" && t.name === "all");
      if (all && all.kind === "mechanism" && all.qualifier === "+") {
        out.push(report(this, `${s.name} SPF`, `"${all.explicitQualifier ? "+" : ""}all" lets any host send as ${s.name}`, { hint: 'end the record with "-all" or "~all"' }));
      }
    }
    return out;
  },
});

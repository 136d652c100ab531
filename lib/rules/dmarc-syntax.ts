import { parseDmarc } from "../dmarc";
import { defineRule } from "./rule";
import { dmarcValues, txtValues } from "./select";

/** DMARC records: known tags with valid values, v first and p second. */
export default defineRule({
  id: "dmarc-syntax",
  severity: "error",
  rfc: "RFC 7489 §6.3–6.4",
  summary: "tags, values and order (v, then p)",
  check(view) {
    const out = dmarcValues(view).flatMap((d) => parseDmarc(d.value, `${d.name} TXT`).findings);
    // A TXT at _dmarc that is almost a DMARC record is ignored by receivers: say so.
    for (const t of txtValues(view)) {
      if (t.name.startsWith("_dmarc.") && /^\s*v\s*=\s*dmarc/i.test(t.value) && !/^v=DMARC1\s*(;|$)/.test(t.value)) {
        out.push(...parseDmarc(t.value, `${t.name} TXT`).findings);
      }
    }
    return out;
  },
});

import { Finding } from "../finding";
import { MAX_STRING_OCTETS, octets, TXT_RFC } from "../txt";
import { defineRule, report } from "./rule";

/** Each character-string of a TXT value, as sent to the provider, is at most 255 octets. */
export default defineRule({
  id: "txt-string-length",
  severity: "error",
  rfc: TXT_RFC,
  summary: "each TXT character-string, as sent to the provider, is at most 255 octets",
  consequence: "the DNS provider refuses the record or splits it differently: receivers read a different, broken value",
  check(view) {
    const out: Finding[] = [];
    for (const r of view.records) {
      if (r.type !== "TXT" || !r.strings) continue;
      r.strings.forEach((strings, vi) => {
        strings.forEach((s, si) => {
          const n = octets(s);
          if (n > MAX_STRING_OCTETS) {
            out.push(report(this, `${r.name} TXT`, `value ${vi + 1}, string ${si + 1} is ${n} octets; a character-string holds at most ${MAX_STRING_OCTETS}`, {
              hint: "split the value into strings of at most 255 octets (maildns zone adapters do this for you)",
            }));
          }
        });
      });
    }
    return out;
  },
});

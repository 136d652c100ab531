import { defineRule, report } from "./rule";
import { dmarcValues, groupByAnswer } from "./select";

/** More than one DMARC record at _dmarc means receivers apply none. */
export default defineRule({
  id: "dmarc-single-record",
  severity: "error",
  rfc: "RFC 7489 §6.6.3",
  summary: "one DMARC record at _dmarc",
  consequence: "receivers discard every record when _dmarc has several: no DMARC policy applies, spoofed mail is delivered, and mailbox providers with bulk-sender rules reject unauthenticated mail with 550 5.7.26",
  check(view) {
    return groupByAnswer(dmarcValues(view))
      .filter(([, recs]) => recs.length > 1)
      .map(([name, recs]) => report(this, `${name} TXT`, `${name} has ${recs.length} DMARC records; receivers then apply no policy`));
  },
});

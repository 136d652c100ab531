import { parseDmarc } from "../dmarc";
import { defineRule } from "./rule";
import { dmarcValues } from "./select";

/** DMARC records: known tags with valid values, v first (RFC 9989; RFC 7489 receivers also want p second). */
export default defineRule({
  id: "dmarc-syntax",
  severity: "error",
  rfc: "RFC 9989, RFC 7489 §6.3–6.4",
  summary: "tags and values valid, v first",
  consequence: "receivers discard an invalid DMARC record: no DMARC policy applies, spoofed mail is delivered, and mailbox providers with bulk-sender rules reject with 550 5.7.26",
  check(view) {
    return dmarcValues(view).flatMap((d) => parseDmarc(d.value, `${d.name} TXT`).findings);
  },
});

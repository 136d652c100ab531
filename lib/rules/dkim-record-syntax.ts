import { parseDkim } from "../dkim";
import { defineRule } from "./rule";
import { dkimValues } from "./select";

/** DKIM key records: tag list, v=DKIM1 first if present, k and p valid. */
export default defineRule({
  id: "dkim-record-syntax",
  severity: "error",
  rfc: "RFC 6376 §3.6.1",
  summary: "tag list, v=DKIM1 first if present, k and p valid",
  consequence: "verifiers cannot use the key: dkim=permerror for every message signed with this selector; under an enforcing DMARC policy such mail is rejected with 550 5.7.1 unless SPF aligns",
  check(view) {
    return dkimValues(view).flatMap((d) => parseDkim(d.value, `${d.name} TXT`).findings.filter((f) => f.ruleId === this.id));
  },
});

import { isMtaStsRecord } from "../mta-sts";
import { defineRule, report } from "./rule";
import { groupByAnswer, txtValues } from "./select";

/** One v=STSv1 record at _mta-sts: with several, senders use none. */
export default defineRule({
  id: "mta-sts-single-record",
  severity: "error",
  rfc: "RFC 8461 §3.1",
  summary: "one MTA-STS record at _mta-sts",
  consequence: "senders that find several v=STSv1 records assume the domain has no MTA-STS policy: TLS to its MX hosts is not enforced",
  check(view) {
    return groupByAnswer(txtValues(view).filter((t) => t.name.startsWith("_mta-sts.") && isMtaStsRecord(t.value)))
      .filter(([, recs]) => recs.length > 1)
      .map(([name, recs]) => report(this, `${name} TXT`, `${name} has ${recs.length} v=STSv1 records; senders then use no policy`));
  },
});

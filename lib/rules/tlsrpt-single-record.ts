import { isTlsRptRecord } from "../tlsrpt";
import { defineRule, report } from "./rule";
import { groupByAnswer, txtValues } from "./select";

/** One v=TLSRPTv1 record at _smtp._tls: with several, senders report to none. */
export default defineRule({
  id: "tlsrpt-single-record",
  severity: "error",
  rfc: "RFC 8460 §3",
  summary: "one TLS reporting record at _smtp._tls",
  consequence: "senders that find several v=TLSRPTv1 records assume the domain takes no TLS reports",
  check(view) {
    return groupByAnswer(txtValues(view).filter((t) => t.name.startsWith("_smtp._tls.") && isTlsRptRecord(t.value)))
      .filter(([, recs]) => recs.length > 1)
      .map(([name, recs]) => report(this, `${name} TXT`, `${name} has ${recs.length} v=TLSRPTv1 records; senders then report to none`));
  },
});

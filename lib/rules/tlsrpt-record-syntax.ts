import { isTlsRptRecord, parseTlsRptRecord } from "../tlsrpt";
import { defineRule } from "./rule";
import { txtValues } from "./select";

/** The `_smtp._tls` TXT record parses: v=TLSRPTv1 first, one rua= of mailto: or https: URIs. */
export default defineRule({
  id: "tlsrpt-record-syntax",
  severity: "error",
  rfc: "RFC 8460 §3",
  summary: "the _smtp._tls TLS reporting record parses",
  consequence: "senders send no TLS reports: failed or downgraded TLS deliveries to the domain go unseen",
  check(view) {
    return txtValues(view)
      .filter((t) => t.name.startsWith("_smtp._tls.") && (isTlsRptRecord(t.value) || /v\s*=\s*tlsrptv1/i.test(t.value)))
      .flatMap((t) => parseTlsRptRecord(t.value, `${t.name} TXT`).findings.map((f) => ({ ...f, consequence: this.consequence })));
  },
});

import { isMtaStsRecord, parseMtaStsRecord } from "../mta-sts";
import { defineRule } from "./rule";
import { txtValues } from "./select";

/** The `_mta-sts` TXT record parses: v=STSv1 first, an id of 1 to 32 letters and digits. */
export default defineRule({
  id: "mta-sts-record-syntax",
  severity: "error",
  rfc: "RFC 8461 §3.1",
  summary: "the _mta-sts TXT record parses",
  consequence: "senders that cannot read the record assume the domain has no MTA-STS policy: mail to it goes over TLS only opportunistically, open to downgrade",
  check(view) {
    return txtValues(view)
      .filter((t) => t.name.startsWith("_mta-sts.") && (isMtaStsRecord(t.value) || /v\s*=\s*stsv1/i.test(t.value)))
      .flatMap((t) => parseMtaStsRecord(t.value, `${t.name} TXT`).findings.map((f) => ({ ...f, consequence: this.consequence })));
  },
});

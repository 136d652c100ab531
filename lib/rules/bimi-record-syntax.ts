import { isBimiRecord, parseBimi } from "../bimi";
import { defineRule } from "./rule";
import { txtValues } from "./select";

/** A BIMI assertion record parses: v=BIMI1 first, l= an https URL (or empty), a= an https URL. */
export default defineRule({
  id: "bimi-record-syntax",
  severity: "error",
  rfc: "draft-brand-indicators-for-message-identification §4.2",
  summary: "the BIMI assertion record parses",
  consequence: "mailbox providers show no brand logo for the domain's mail",
  check(view) {
    return txtValues(view)
      .filter((t) => t.name.includes("._bimi.") && (isBimiRecord(t.value) || /v\s*=\s*bimi1/i.test(t.value)))
      .flatMap((t) => parseBimi(t.value, `${t.name} TXT`).findings.map((f) => ({ ...f, consequence: this.consequence })));
  },
});

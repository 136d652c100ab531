import { parseSpf } from "../spf/parse";
import { defineRule, report } from "./rule";
import { spfValues } from "./select";

/** The ptr mechanism is slow, unreliable and "SHOULD NOT be used". */
export default defineRule({
  id: "spf-ptr-discouraged",
  severity: "warning",
  rfc: "RFC 7208 §5.5",
  summary: "the ptr mechanism should not be used",
  consequence: "receivers may skip or time out ptr lookups: the term fails unpredictably and spends lookups toward the limit",
  check(view) {
    return spfValues(view).flatMap((s) =>
      (parseSpf(s.value).record?.terms ?? [])
        .filter((t) => t.kind === "mechanism" && t.name === "ptr")
        .map(() => report(this, `${s.name} SPF`, `${s.name} uses "ptr", which RFC 7208 says should not be used; many receivers skip or penalise it`, { hint: "list the senders with ip4/ip6 or a instead" })),
    );
  },
});

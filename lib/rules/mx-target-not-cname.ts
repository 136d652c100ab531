import { Finding } from "../finding";
import { mxValues } from "./select";
import { defineRule, report } from "./rule";

/** An MX target must be a host with addresses, not an alias (CNAME). */
export default defineRule({
  id: "mx-target-not-cname",
  severity: "error",
  rfc: "RFC 2181 §10.3, RFC 5321 §5.1",
  summary: "an MX target must not be an alias",
  consequence: "strict senders refuse an MX that is an alias and bounce with 5.4.4; others deliver by accident through the alias",
  check(view) {
    const out: Finding[] = [];
    for (const m of mxValues(view)) {
      if (!m.mx || m.mx.exchange === "") continue;
      if (view.at(m.mx.exchange, "CNAME").length > 0) {
        out.push(report(this, `${m.name} MX`, `MX target ${m.mx.exchange} is a CNAME; an MX must point at the canonical host name`, {
          hint: `point the MX at the CNAME's target (${view.values(m.mx.exchange, "CNAME")[0] ?? "the real host"}) instead`,
        }));
      }
    }
    return out;
  },
});

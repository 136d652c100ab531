import { Finding } from "../finding";
import { mxValues } from "./select";
import { defineRule, report } from "./rule";

/** Every MX target the view knows must have an A or AAAA record. */
export default defineRule({
  id: "mx-target-has-address",
  severity: "error",
  rfc: "RFC 5321 §5.1",
  summary: "an MX target must have an A or AAAA record",
  consequence: "senders find no address for the MX host: mail to the domain is deferred, then bounced with 5.4.4 (unable to route)",
  check(view) {
    const out: Finding[] = [];
    for (const m of mxValues(view)) {
      if (!m.mx || m.mx.exchange === "" || !view.knows(m.mx.exchange)) continue;
      const host = m.mx.exchange;
      const recs = view.at(host);
      if (recs.some((r) => r.type === "CNAME")) continue; // reported by mx-target-not-cname
      // A Route 53 alias A/AAAA answers with addresses too.
      const addresses = recs.filter((r) => r.type === "A" || r.type === "AAAA");
      if (addresses.length > 0) continue;
      out.push(report(this, `${m.name} MX`, `MX target ${host} has no A or AAAA record, so mail for ${m.name} cannot be delivered there`));
    }
    return out;
  },
});

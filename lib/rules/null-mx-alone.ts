import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { groupByAnswer, mxValues } from "./select";

/** A null MX ("0 .") says "no mail here": it must be the only MX of its name. */
export default defineRule({
  id: "null-mx-alone",
  severity: "error",
  rfc: "RFC 7505 §3",
  summary: "a null MX is the only MX of its name",
  consequence: "senders see \"no mail\" and mail hosts at once: some bounce every message (5.1.10), others deliver (RFC 7505 leaves it undefined)",
  check(view) {
    const out: Finding[] = [];
    for (const [name, mxs] of groupByAnswer(mxValues(view))) {
      const nulls = mxs.filter((m) => m.mx?.exchange === "");
      if (nulls.length === 0) continue;
      if (mxs.length > 1) out.push(report(this, `${name} MX`, `${name} has a null MX beside ${mxs.length - 1} other MX record(s); a domain that accepts no mail publishes only "0 ."`));
      for (const n of nulls) {
        if (n.mx?.preference !== 0) out.push(report(this, `${name} MX`, `the null MX of ${name} has preference ${n.mx?.preference}; it must be "0 ."`, { severity: "warning" }));
      }
    }
    return out;
  },
});

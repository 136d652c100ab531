import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { groupByAnswer, groupByName, mxValues } from "./select";

/** Each host appears once in a name's MX set; the same host twice adds no redundancy. */
export default defineRule({
  id: "mx-hosts-distinct",
  severity: "warning",
  rfc: "RFC 5321 §5.1",
  summary: "each MX host once per domain",
  consequence: "senders try the same host again as if it were a backup: no redundancy, and a failing host is retried twice per attempt",
  check(view) {
    const out: Finding[] = [];
    for (const [name, mxs] of groupByAnswer(mxValues(view))) {
      const byHost = groupByName(mxs.filter((m) => m.mx && m.mx.exchange !== "").map((m) => ({ name: m.mx?.exchange as string, pref: m.mx?.preference })));
      for (const [host, list] of byHost) {
        if (list.length < 2) continue;
        out.push(report(this, `${name} MX`, `${host} is listed ${list.length} times (preferences ${list.map((l) => l.pref).join(", ")})`, {
          hint: "list each mail host once, or add a different backup host",
        }));
      }
    }
    return out;
  },
});

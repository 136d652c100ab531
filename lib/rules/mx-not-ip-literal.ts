import { Finding } from "../finding";
import { isIP } from "node:net";
import { defineRule, report } from "./rule";
import { mxValues } from "./select";

/** An MX target is a host name; an address there is looked up as a (nonexistent) name. */
export default defineRule({
  id: "mx-not-ip-literal",
  severity: "error",
  rfc: "RFC 5321 §5.1",
  summary: "an MX target is a host name, never an address",
  consequence: "senders look the address up as a host name, find nothing and bounce the mail (5.1.2 or 5.4.4)",
  check(view) {
    const out: Finding[] = [];
    for (const m of mxValues(view)) {
      const target = m.raw.trim().split(/\s+/)[1]?.replace(/\.$/, "").replace(/^\[|\]$/g, "") ?? "";
      if (isIP(target) !== 0) {
        out.push(report(this, `${m.name} MX`, `MX target "${target}" is an IP address; publish an A/AAAA record for a host name and point the MX at the name`));
      }
    }
    return out;
  },
});

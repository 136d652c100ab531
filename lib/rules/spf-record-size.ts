import { octets } from "../txt";
import { defineRule, report } from "./rule";
import { spfValues } from "./select";

/** Keep the SPF answer within a 512-octet UDP response: the record under 450 octets. */
export default defineRule({
  id: "spf-record-size",
  severity: "warning",
  rfc: "RFC 7208 §3.4",
  summary: "keep the SPF record under 450 octets",
  consequence: "answers that do not fit 512 octets need EDNS or TCP; resolvers that cannot get them return temperror and receivers defer with 451 4.4.3",
  defaults: { maxOctets: 450 },
  check(view, { maxOctets }) {
    return spfValues(view)
      .filter((s) => octets(s.value) > maxOctets)
      .map((s) => report(this, `${s.name} SPF`, `the SPF record of ${s.name} is ${octets(s.value)} octets; over ${maxOctets} the answer may not fit one UDP response`, { hint: "move senders into an include of your own" }));
  },
});

import { parseMtaStsPolicy, policyUrl } from "../mta-sts";
import { defineRule, report, unverified } from "./rule";

/** The MTA-STS policy can be had and parses (version, mode, max_age, mx lines). */
export default defineRule({
  id: "mta-sts-policy-syntax",
  severity: "error",
  rfc: "RFC 8461 §3.2, §3.3",
  summary: "the MTA-STS policy is served and parses",
  consequence: "senders that cannot fetch or read the policy treat the domain as having none (or keep a cached one until it expires): TLS to its MX hosts is not enforced",
  check(view) {
    return Object.entries(view.facts.mtaSts ?? {}).flatMap(([domain, p]) => {
      const subject = policyUrl(domain);
      if (p.text === undefined) {
        const why = p.error ?? "no policy";
        return [p.kind === "unreachable" ? unverified(this, subject, `could not verify the policy: ${why}`) : report(this, subject, `the policy cannot be used: ${why}`)];
      }
      return parseMtaStsPolicy(p.text, subject).findings.map((f) => ({ ...f, rfc: this.rfc, consequence: this.consequence }));
    });
  },
});

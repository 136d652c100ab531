import { mxMatches, parseMtaStsPolicy, policyUrl } from "../mta-sts";
import { defineRule, report } from "./rule";
import { mxValues } from "./select";

/** Every MX host matches an mx pattern of the policy, and every pattern matches an MX host. */
export default defineRule({
  id: "mta-sts-policy-covers-mx",
  severity: "error",
  rfc: "RFC 8461 §4.1",
  summary: "the MTA-STS policy's mx patterns cover every MX host",
  consequence: "in enforce mode senders do not deliver to an MX host the policy does not list: with none listed, mail to the domain is deferred and then bounced",
  check(view) {
    return Object.entries(view.facts.mtaSts ?? {}).flatMap(([domain, p]) => {
      if (p.text === undefined) return [];
      const { policy } = parseMtaStsPolicy(p.text, policyUrl(domain));
      if (!policy.mode || policy.mode === "none") return [];
      const hosts = mxValues(view).filter((m) => m.name === domain && m.mx && m.mx.exchange !== "").map((m) => m.mx?.exchange ?? "");
      const severity = policy.mode === "enforce" ? "error" : "warning";
      const missing = hosts.filter((h) => !policy.mx.some((pat) => mxMatches(pat, h)));
      const stale = policy.mx.filter((pat) => !hosts.some((h) => mxMatches(pat, h)));
      return [
        ...missing.map((h) => report(this, `${domain} MX`, `MX host ${h} matches no mx pattern of the ${policy.mode} policy (${policy.mx.join(", ") || "none"})`, { severity })),
        ...(hosts.length ? stale.map((pat) => report(this, policyUrl(domain), `mx: ${pat} matches no MX host of ${domain} (stale)`, { severity: "warning", consequence: "a stale pattern lets an attacker who can change the MX answer direct mail to a host the pattern still allows" })) : []),
      ];
    });
  },
});

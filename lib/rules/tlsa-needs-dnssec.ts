import { defineRule, report } from "./rule";

/** TLSA records in a zone the view's facts say is not signed (verify asks; a stack view knows nothing, so says nothing). */
export default defineRule({
  id: "tlsa-needs-dnssec",
  severity: "warning",
  rfc: "RFC 7672 §2.2",
  summary: "TLSA records are published in a DNSSEC-signed zone",
  consequence: "senders ignore TLSA records they cannot validate with DNSSEC: mail to the MX host goes over opportunistic TLS, as if no TLSA record were published",
  check(view) {
    const signed = view.facts.dnssec ?? {};
    // The fact of the name itself, else of the nearest name above it (a zone apex).
    const at = (name: string): boolean | undefined => {
      for (let n = name; n !== ""; n = n.includes(".") ? n.slice(n.indexOf(".") + 1) : "") if (signed[n] !== undefined) return signed[n];
      return undefined;
    };
    return view.records
      .filter((r) => r.type === "TLSA" && r.values.length > 0 && at(r.name) === false)
      .map((r) => report(this, `${r.name} TLSA`, `${r.name} has ${r.values.length} TLSA record(s) but its answers are not DNSSEC-signed: sign the zone (and publish the DS at the parent) for senders to use them`));
  },
});

import { Finding } from "../finding";
import { canonicalName } from "../names";
import { addressFromPtrName, canonicalAddress } from "../reverse";
import { defineRule, report } from "./rule";
import { mailHostAddresses } from "./select";

/** The name a PTR gives must resolve back to the same address (forward-confirmed rDNS). */
export default defineRule({
  id: "ptr-forward-confirmed",
  severity: "error",
  rfc: "RFC 8601 §3 (iprev), RFC 1912 §2.1",
  summary: "the PTR name resolves back to the same address",
  consequence: "receivers that check iprev (forward-confirmed reverse DNS) reject mail from the address with 550 5.7.25 or defer it with 421 4.7.x",
  check(view) {
    const out: Finding[] = [];
    // On live DNS the PTR records judged are those of the mail hosts' addresses: reading
    // whether each was answered is what lets `maildns verify` report this rule as not
    // verified, rather than passed, when one of them was not.
    if (view.live) for (const { rev } of mailHostAddresses(view)) view.knows(rev, "PTR");
    for (const r of view.records) {
      if (r.type !== "PTR") continue;
      const ip = addressFromPtrName(r.name);
      if (!ip) continue;
      for (const v of r.values) {
        const host = canonicalName(v);
        const type: string = ip.includes(":") ? "AAAA" : "A";
        // A Route 53 alias answers with addresses the view cannot see.
        if (view.at(host, type).some((x) => x.alias !== undefined)) continue;
        const forward: string[] = view.values(host, type).map((a) => { try { return canonicalAddress(a); } catch { return a; } });
        // Judged where the view holds the host's zone, or declares the host's addresses itself.
        if (!view.knows(host) && forward.length === 0) continue;
        if (!forward.includes(ip)) {
          out.push(report(this, `${r.name} PTR`, `${ip} has PTR ${host}, but ${host} ${type} is ${forward.length ? forward.join(", ") : "absent"}; receivers that check iprev will fail it`, {
            hint: `publish ${host} ${type} ${ip}`,
          }));
        }
      }
    }
    return out;
  },
});

import { Finding } from "../finding";
import { defineRule, report } from "./rule";

/** A CNAME owns its name alone: no other data, and only one CNAME. */
export default defineRule({
  id: "cname-coexistence",
  severity: "error",
  rfc: "RFC 1034 §3.6.2, RFC 2181 §10.1",
  summary: "a CNAME owns its name alone",
  consequence: "resolvers answer with the CNAME alone: the other records at the name (MX, TXT) are invisible to receivers, so mail routing and SPF/DMARC lookups fail",
  check(view) {
    const out: Finding[] = [];
    for (const name of view.names()) {
      const recs = view.at(name);
      const cnames = recs.filter((r) => r.type === "CNAME").flatMap((r) => r.values);
      if (cnames.length === 0) continue;
      const others = [...new Set(recs.filter((r) => r.type !== "CNAME").map((r) => r.type))];
      if (others.length > 0) out.push(report(this, `${name} CNAME`, `${name} has a CNAME and also ${others.join(", ")}; resolvers will return only the CNAME`));
      if (new Set(cnames).size > 1) out.push(report(this, `${name} CNAME`, `${name} has ${new Set(cnames).size} CNAME records; a name is an alias of one name`));
    }
    return out;
  },
});

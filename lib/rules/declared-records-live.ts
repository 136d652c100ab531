import { Finding } from "../finding";
import { canonicalName } from "../names";
import { parseMx } from "../mx";
import { canonicalAddress } from "../reverse";
import { defineRule, report } from "./rule";

function norm(type: string, v: string): string {
  switch (type) {
    case "A":
    case "AAAA":
      try { return canonicalAddress(v); } catch { return v; }
    case "MX": {
      const m = parseMx(v);
      return m ? `${m.preference} ${m.exchange}` : v;
    }
    case "CNAME":
    case "PTR":
      return canonicalName(v);
    default:
      return v;
  }
}

/** With declared records (a stack's outputs), live DNS must serve exactly those values. */
export default defineRule({
  id: "declared-records-live",
  severity: "error",
  rfc: "RFC 1034 §4.3.2 (answers come from the zone as deployed)",
  summary: "live DNS serves exactly the records the stack declared",
  consequence: "receivers judge mail against the records live DNS serves, not the ones the stack declared",
  check(view) {
    const out: Finding[] = [];
    for (const e of view.facts.expected ?? []) {
      const name = canonicalName(e.name);
      const want = new Set(e.values.map((v) => norm(e.type, v)));
      const have = new Set(view.values(name, e.type).map((v) => norm(e.type, v)));
      const missing = [...want].filter((v) => !have.has(v));
      const extra = [...have].filter((v) => !want.has(v));
      if (missing.length === 0 && extra.length === 0) continue;
      const parts = [missing.length ? `missing ${missing.map((v) => JSON.stringify(v)).join(", ")}` : "", extra.length ? `not declared ${extra.map((v) => JSON.stringify(v)).join(", ")}` : ""].filter(Boolean);
      out.push(report(this, `${name} ${e.type}`, `${name} ${e.type} differs from the stack: ${parts.join("; ")}`, { hint: "run pulumi up (or pulumi refresh to see the drift)" }));
    }
    return out;
  },
});

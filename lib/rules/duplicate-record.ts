import { Finding } from "../finding";
import { canonicalName } from "../names";
import { defineRule, report } from "./rule";

/** The same record twice (an RRset is a set): providers reject or silently drop it. */
export default defineRule({
  id: "duplicate-record",
  severity: "error",
  rfc: "RFC 2181 §5",
  summary: "the same record twice",
  consequence: "the DNS provider refuses the change or merges the copies: the deployment fails, or live DNS differs from what was declared",
  check(view) {
    const out: Finding[] = [];
    const seen = new Map<string, string | undefined>();
    for (const r of view.records) {
      for (const v of r.values) {
        const norm = r.type === "TXT" ? v : canonicalName(v.replace(/\s+/g, " "));
        const key = `${r.name} ${r.type} ${r.set ?? ""} ${norm}`;
        if (seen.has(key)) {
          const first = seen.get(key);
          out.push(report(this, `${r.name} ${r.type}`, `${r.name} ${r.type} "${v}" is declared twice${first && r.source && first !== r.source ? ` (${first} and ${r.source})` : ""}`));
        } else {
          seen.set(key, r.source);
        }
      }
    }
    return out;
  },
});

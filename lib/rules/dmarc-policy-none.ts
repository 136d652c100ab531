import { parseDmarc } from "../dmarc";
import { defineRule, report } from "./rule";
import { dmarcValues } from "./select";

/** p=none only monitors. */
export default defineRule({
  id: "dmarc-policy-none",
  severity: "warning",
  rfc: "RFC 7489 §6.3",
  summary: "p=none only monitors",
  consequence: "receivers take no action on mail that fails DMARC: spoofed mail from the domain is delivered",
  check(view) {
    return dmarcValues(view)
      .filter((d) => parseDmarc(d.value).tags?.p === "none")
      .map((d) => report(this, `${d.name} TXT`, `p=none at ${d.name} only asks for reports`, {
        hint: "move to p=quarantine, then p=reject, once the aggregate reports show all legitimate mail aligned",
      }));
  },
});

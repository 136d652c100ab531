import { Finding } from "../finding";
import { defineRule, report } from "./rule";

/** A mail domain that does not exist in DNS (NXDOMAIN) can neither send nor receive. */
export default defineRule({
  id: "domain-exists",
  severity: "error",
  rfc: "RFC 1035 §4.1.1 (NXDOMAIN), RFC 5321 §5.1",
  summary: "the mail domain exists in DNS",
  consequence: "mail to the domain bounces with 5.1.2 (bad destination system), and receivers reject mail from it with 550 5.1.8 (sender domain does not exist)",
  check(view) {
    const out: Finding[] = [];
    for (const d of view.facts.mailDomains ?? []) {
      const asked = ["MX", "TXT", "A", "AAAA"].map((t) => view.facts.questions?.[`${d} ${t}`]);
      if (asked.some((q) => q === "nxdomain") && !asked.some((q) => q === "answer" || q === "nodata")) {
        out.push(report(this, d, `${d} does not exist (NXDOMAIN): check the spelling, or the delegation of its zone`));
      }
    }
    return out;
  },
});

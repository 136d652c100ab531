import { Finding } from "../finding";
import { ANSWERED } from "../view";
import { defineRule, unverified } from "./rule";

/**
 * Every question a live check asked got an answer (records, "no such
 * records" or "no such name"). A SERVFAIL, a timeout or a CNAME loop makes
 * the checks that need that answer "could not verify"; this rule says which
 * question failed and why.
 */
export default defineRule({
  id: "dns-answers",
  severity: "warning",
  rfc: "RFC 1035 §4.1.1, RFC 2308 §7",
  summary: "every DNS question about the domain is answered",
  consequence: "receivers that meet the same failure return temperror and defer the mail (451 4.4.3), or skip the check",
  check(view) {
    const out: Finding[] = [];
    for (const [question, outcome] of Object.entries(view.facts.questions ?? {})) {
      if (ANSWERED.has(outcome)) continue;
      out.push({ ...unverified(this, question, `could not verify: ${question}: ${outcome}`), consequence: this.consequence });
    }
    return out.sort((a, b) => a.subject.localeCompare(b.subject));
  },
});

import { collectFacts } from "../../lib/facts";
import { Finding } from "../../lib/finding";
import { DnsResolver } from "../../lib/resolver";
import { getRule } from "../../lib/rules";
import { createView, ViewOptions, ViewRecord } from "../../lib/view";

/** A record set for a test view. */
export function rr(name: string, type: string, ...values: string[]): ViewRecord {
  return { name, type, values };
}

/** The findings of one rule over a view of `records` (zone example.com unless given). */
export function check(id: string, records: ViewRecord[], opts: ViewOptions & { options?: object } = {}): Finding[] {
  const rule = getRule(id);
  if (!rule) throw new Error(`no rule ${id}`);
  const view = createView(records, { zones: ["example.com"], ...opts });
  return rule.check(view, { ...(rule.defaults ?? {}), ...(opts.options ?? {}) });
}

/** Same, after collecting SPF facts through `resolver` (names outside the view). */
export async function checkWithFacts(id: string, records: ViewRecord[], resolver?: DnsResolver, opts: ViewOptions = {}): Promise<Finding[]> {
  const rule = getRule(id);
  if (!rule) throw new Error(`no rule ${id}`);
  const view = await collectFacts(createView(records, { zones: ["example.com"], ...opts }), { resolver });
  return rule.check(view, rule.defaults ?? {});
}

/** `subject severity` pairs, for assertions that do not depend on wording. */
export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.subject} ${f.severity}`);
}

/** A clean mail domain every rule accepts. */
export const goodDomain: ViewRecord[] = [
  rr("example.com", "MX", "10 mail.example.com."),
  rr("mail.example.com", "A", "192.0.2.10"),
  rr("mail.example.com", "AAAA", "2001:db8::10"),
  rr("example.com", "TXT", "v=spf1 mx -all", "google-site-verification=abc"),
  rr("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"),
  rr("10.2.0.192.in-addr.arpa", "PTR", "mail.example.com."),
];

export type Severity = "error" | "warning";

/**
 * One result of a rule. `subject` names the record or name the finding is
 * about (e.g. `example.com MX` or `sel1._domainkey.example.com`). Tests and
 * tools match on `ruleId` and `subject`, never on `message`.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  subject: string;
  message: string;
  rfc?: string;
  hint?: string;
  /**
   * What a receiving mail server does because of it, in plain words
   * (e.g. "receivers that enforce DMARC reject with 550 5.7.1").
   */
  consequence?: string;
  /** The finding says a check could not be made (DNS failed), not that it failed. */
  unverified?: boolean;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error");
}

/**
 * A rule's consequence as one sentence about receivers: most consequences
 * begin with "receivers" ("Receivers reject …"); the others get a label
 * ("Receivers: …").
 */
export function receiversSentence(consequence: string): string {
  return /^receivers\b/.test(consequence) ? `R${consequence.slice(1)}` : `Receivers: ${consequence}`;
}

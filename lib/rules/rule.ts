import { Finding, Severity } from "../finding";
import { DomainView } from "../view";

/**
 * One rule of the catalogue: one id, one file (lib/rules/<id>.ts), one test
 * (test/lib/rules/<id>.test.ts), one doc page (docs/rules/<id>.md). The same
 * id is used by the components, the policy pack, `maildns verify` and lint.
 */
export interface Rule<O extends object = Record<string, never>> {
  id: string;
  /** Default severity of its findings. */
  severity: Severity;
  rfc: string;
  summary: string;
  /** What receivers do when the rule is broken, in plain words (see Finding.consequence). */
  consequence: string;
  /** Thresholds a user may set, with their defaults. */
  defaults?: O;
  check(view: DomainView, options: O): Finding[];
}

export function defineRule<O extends object = Record<string, never>>(rule: Rule<O>): Rule<O> {
  return rule;
}

/** A finding of `rule` with its id, default severity and RFC. */
export function report(
  rule: Pick<Rule<object>, "id" | "severity" | "rfc" | "consequence">,
  subject: string,
  message: string,
  extra: Partial<Pick<Finding, "severity" | "hint" | "rfc" | "consequence">> = {},
): Finding {
  return {
    ruleId: rule.id,
    severity: extra.severity ?? rule.severity,
    subject,
    message,
    rfc: extra.rfc ?? rule.rfc,
    ...(extra.hint ? { hint: extra.hint } : {}),
    consequence: extra.consequence ?? rule.consequence,
  };
}

/** The consequence of a check that could not be made. */
export const UNVERIFIED = "unknown: the answer this check needs was not available, so receivers may see something else";

/** A "could not verify" finding of `rule`: a warning that says why, never a pass. */
export function unverified(rule: Pick<Rule<object>, "id" | "rfc">, subject: string, message: string): Finding {
  return { ruleId: rule.id, severity: "warning", subject, message, rfc: rule.rfc, consequence: UNVERIFIED, unverified: true };
}

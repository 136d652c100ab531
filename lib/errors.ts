/**
 * Exceptions are for configuration mistakes, I/O failures and bugs; validation
 * results are {@link Finding}s. Every MailDnsError carries a stable `code` that
 * callers and tests match on, never the wording of the message.
 */
export type ErrorCode =
  | "invalid-name"
  | "invalid-txt"
  | "invalid-spf"
  | "invalid-dmarc"
  | "invalid-dkim"
  | "invalid-mx"
  | "invalid-address"
  | "invalid-config"
  | "invalid-resolver"
  | "rule-violation"
  | "capability"
  | "dns"
  | "invalid-zone-file";

export interface MailDnsErrorDetails {
  /** The domain the mistake belongs to, when there is one. */
  domain?: string;
  /** Path of the offending field, e.g. `dkim.selectors[1].keyBits`. */
  field?: string;
  /** The offending value. */
  value?: unknown;
  /** Rule id from the catalogue (docs/rules/<id>.md). */
  ruleId?: string;
  /** RFC section the rule comes from, e.g. "RFC 7208 §4.6.4". */
  rfc?: string;
  /** Every finding behind a rule violation, when there are several. */
  findings?: readonly import("./finding").Finding[];
  cause?: unknown;
}

export class MailDnsError extends Error {
  readonly code: ErrorCode;
  /** What is wrong, without the field, value and rule (those are in `message` too). */
  readonly reason: string;
  /**
   * The Pulumi Node.js SDK prints an error carrying this marker as its message
   * alone, without "unhandled exception" and stack frames (its RunError
   * convention): a configuration mistake in any program reads as one block.
   */
  readonly __pulumiRunError = true;
  readonly domain?: string;
  readonly field?: string;
  readonly value?: unknown;
  readonly ruleId?: string;
  readonly rfc?: string;
  readonly findings?: readonly import("./finding").Finding[];

  constructor(code: ErrorCode, reason: string, details: MailDnsErrorDetails = {}) {
    super(formatMessage(reason, details), details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = "MailDnsError";
    this.code = code;
    this.reason = reason;
    this.domain = details.domain;
    this.field = details.field;
    this.value = details.value;
    this.ruleId = details.ruleId;
    this.rfc = details.rfc;
    this.findings = details.findings;
  }
}

function formatMessage(reason: string, d: MailDnsErrorDetails): string {
  const where = [d.domain, d.field].filter((x) => x !== undefined && x !== "").join(": ");
  const value = d.value === undefined ? "" : ` = ${describeValue(d.value)}`;
  const rule = d.ruleId ? ` [${d.ruleId}${d.rfc ? `, ${d.rfc}` : ""}]` : d.rfc ? ` [${d.rfc}]` : "";
  // A reason that lists findings already names each one's rule (a rule violation): not again.
  return `${where}${value}${where || value ? ": " : ""}${reason}${rule && reason.includes(rule.trim()) ? "" : rule}`;
}

function describeValue(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : safeJson(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The same error about another field (e.g. the stack-file key path of a component field). */
export function withField(e: MailDnsError, field: string): MailDnsError {
  return new MailDnsError(e.code, e.reason, {
    field, value: e.value, ruleId: e.ruleId, rfc: e.rfc, findings: e.findings, cause: e.cause,
  });
}

export function isMailDnsError(e: unknown): e is MailDnsError {
  return e instanceof MailDnsError;
}

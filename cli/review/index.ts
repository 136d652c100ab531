import { MailDnsError } from "../../lib/errors";
import { evaluate } from "../../policies/evaluate";
import { readPolicyConfig, withDns } from "../lint";
import { analyse, Review } from "./analyse";
import { formatJson, formatMarkdown, formatText, GITHUB_COMMENT_LIMIT } from "./format";
import { PolicyViolation, readPlan } from "./plan";

/**
 * `maildns review`: a mail-aware summary of a `pulumi preview --json` plan
 * for pull requests. Exit codes: 0 safe, 1 a change breaks mail or a
 * mandatory policy is violated, 2 bad input, 3 a mass deletion.
 */
export interface ReviewOptions {
  format?: string;
  maxChars?: string;
  maxDeleteShare?: string;
  allowMassDelete?: boolean;
  /** false: do not judge the planned state with the policy pack's policies. */
  policies?: boolean;
  /** Policy pack config (JSON, as for `pulumi preview --policy-pack-config`). */
  policyConfig?: string;
}

export const EXIT = { safe: 0, breaks: 1, badInput: 2, massDelete: 3 } as const;

export async function review(file: string, opts: ReviewOptions = {}): Promise<{ review: Review; output: string; exitCode: number }> {
  const format = opts.format ?? "markdown";
  if (!["markdown", "text", "json"].includes(format)) throw new MailDnsError("invalid-config", "the format is markdown, text or json", { field: "--format", value: format });
  const maxChars = whole(opts.maxChars ?? String(GITHUB_COMMENT_LIMIT), "--max-chars", 1000);
  const maxDeleteShare = share(opts.maxDeleteShare ?? "0.3");
  const plan = readPlan(file);
  let violations: PolicyViolation[] = [];
  if (opts.policies !== false) {
    // `pulumi preview --json` leaves the pack's violations out: judge the planned state with the same policies, offline.
    const resources = plan.steps.flatMap((s) => (s.after ? [s.after] : []));
    const config = await withDns({ "maildns-notes": "disabled", ...(opts.policyConfig ? readPolicyConfig(opts.policyConfig) : {}) }, { offline: true });
    if (resources.length) violations = (await evaluate(resources, config)).filter((v) => v.level !== "note" && v.level !== "disabled").map((v) => ({ policy: v.policy, level: v.level, message: v.message, ...(v.urn ? { urn: v.urn } : {}) }));
  }
  const r = analyse(plan, { maxDeleteShare, allowMassDelete: opts.allowMassDelete, violations });
  const output = format === "json" ? formatJson(r) : format === "text" ? formatText(r) : formatMarkdown(r, maxChars);
  const exitCode = r.massDelete.length > 0 && !opts.allowMassDelete ? EXIT.massDelete : r.domains.some((d) => d.verdict === "blocks mail") || r.violations.some((v) => v.level === "mandatory") ? EXIT.breaks : EXIT.safe;
  return { review: r, output, exitCode };
}

function whole(v: string, field: string, min: number): number {
  if (!/^[0-9]+$/.test(v) || Number(v) < min) throw new MailDnsError("invalid-config", `a whole number of at least ${min}`, { field, value: v });
  return Number(v);
}

function share(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new MailDnsError("invalid-config", "a share between 0 and 1, e.g. 0.3", { field: "--max-delete-share", value: v });
  return n;
}

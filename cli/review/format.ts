import { receiversSentence } from "../../lib/finding";
import type { Consequence } from "../../lib/changes/compare";
import type { DomainReview, RecordRow, Review, Verdict } from "./analyse";
import type { PolicyViolation } from "./plan";

/** The marker a CI job looks for to update its own comment instead of adding one. */
export const COMMENT_MARKER = "<!-- maildns-review -->";
/** GitHub's limit for one comment. */
export const GITHUB_COMMENT_LIMIT = 65536;

const ICON: Record<Verdict, string> = { "blocks mail": "❌", "needs attention": "⚠️", safe: "✅" };
const SEVERITY_ICON = { error: "❌", warning: "⚠️", info: "ℹ️" };
/** Values longer than this are shortened around what changed. */
const WIDTH = 64;

/** Anything that looks like a secret prints as one. */
const secret = (v: string) => v === "[secret]" || /PRIVATE KEY/.test(v);

/**
 * Values of a row, each shortened when long: around the first difference
 * from its most similar counterpart on the other side, else head and tail.
 */
export function shortenPair(value: string, other: string | undefined, width = WIDTH): string {
  if (secret(value)) return "[secret]";
  if (value.length <= width) return value;
  if (other === undefined || other === value) return `${value.slice(0, width - 13)}…${value.slice(-12)}`;
  let p = 0;
  while (p < value.length && p < other.length && value[p] === other[p]) p++;
  let s = 0;
  while (s < value.length - p && s < other.length - p && value[value.length - 1 - s] === other[other.length - 1 - s]) s++;
  const head = 18;
  const context = 6;
  const start = Math.max(0, p - context);
  const middle = value.slice(p, value.length - s);
  const shownMiddle = middle.length > 24 ? `${middle.slice(0, 16)}…${middle.slice(-6)}` : middle;
  const lead = start <= head ? value.slice(0, p) : `${value.slice(0, head)}…${value.slice(start, p)}`;
  const tail = s > context + 6 ? `${value.slice(value.length - s, value.length - s + context)}…` : value.slice(value.length - s);
  return `${lead}${shownMiddle}${tail}`;
}

function closest(v: string, others: string[]): string | undefined {
  let best: string | undefined;
  let score = -1;
  for (const o of others) {
    let p = 0;
    while (p < v.length && p < o.length && v[p] === o[p]) p++;
    if (p > score) [best, score] = [o, p];
  }
  return best;
}

function side(values: string[], others: string[], unknown = 0): string[] {
  const gone = values.filter((v) => !others.includes(v));
  const shown = values.map((v) => (gone.includes(v) ? shortenPair(v, closest(v, others.filter((o) => !values.includes(o)))) : shortenPair(v, undefined)));
  return unknown > 0 ? [...shown, ...Array<string>(unknown).fill("(known after the update)")] : shown;
}

const ttl = (r: RecordRow) => (r.ttlBefore !== undefined && r.ttlAfter !== undefined && r.ttlBefore !== r.ttlAfter ? `${r.ttlBefore} → ${r.ttlAfter}` : String(r.ttlAfter ?? r.ttlBefore ?? ""));
const owner = (r: RecordRow) => (r.set ? `${r.name} (set ${r.set})` : r.name);

function cell(values: string[]): string {
  if (values.length === 0) return "—";
  return values.map((v) => (v.includes("`") ? v.replace(/\|/g, "\\|") : `\`${v.replace(/\|/g, "\\|")}\``)).join("<br>");
}

function consequenceLine(c: Consequence, markdown: boolean): string {
  const id = markdown ? `**${c.ruleId}**` : `[${c.ruleId}]`;
  const subject = markdown ? `\`${c.subject}\`` : c.subject;
  const icon = markdown ? `${SEVERITY_ICON[c.severity]} ` : `${c.severity.padEnd(7)} `;
  return `${markdown ? "- " : "  "}${icon}${id} ${subject}: ${c.message}.${c.receivers ? ` ${receiversSentence(c.receivers)}.` : ""}${c.rfc ? ` (${c.rfc})` : ""}`;
}

function violationLine(v: PolicyViolation, markdown: boolean): string {
  return markdown ? `- ${v.level} **${v.policy}**: ${v.message}` : `  ${v.level.padEnd(9)} [${v.policy}] ${v.message}`;
}

function domainMarkdown(d: DomainReview): string {
  const out = [`### ${ICON[d.verdict]} ${d.domain}: ${d.verdict}`, ""];
  if (d.rows.length) {
    out.push("| op | name | type | before | after | TTL |", "|---|---|---|---|---|---|");
    for (const r of d.rows) out.push(`| ${r.op} | ${owner(r)} | ${r.type} | ${cell(side(r.before, r.after))} | ${cell(side(r.after, r.before, r.unknownAfter))} | ${ttl(r)} |`);
    out.push("");
  }
  const lookups = d.facts.spfLookups;
  if (lookups) out.push(`SPF DNS lookups of the record's own terms (includes add theirs): ${lookups.before ?? "none"} → ${lookups.after ?? "none"}`, "");
  if (d.consequences.length) out.push("**Mail consequences**", "", ...d.consequences.map((c) => consequenceLine(c, true)), "");
  if (d.violations.length) out.push("**Policy violations**", "", ...d.violations.map((v) => violationLine(v, true)), "");
  return out.join("\n");
}

function domainText(d: DomainReview): string {
  const out = [`${d.domain}: ${d.verdict}`];
  for (const r of d.rows) {
    out.push(`  ${r.op.padEnd(7)} ${owner(r)} ${r.type}  ttl ${ttl(r)}`);
    for (const v of side(r.before, r.after)) out.push(`      - ${v}`);
    for (const v of side(r.after, r.before, r.unknownAfter)) out.push(`      + ${v}`);
  }
  const lookups = d.facts.spfLookups;
  if (lookups) out.push(`  SPF DNS lookups (own terms): ${lookups.before ?? "none"} → ${lookups.after ?? "none"}`);
  out.push(...d.consequences.map((c) => consequenceLine(c, false)), ...d.violations.map((v) => violationLine(v, false)));
  return out.join("\n");
}

function counts(review: Review): string {
  const by = (v: Verdict) => review.domains.filter((d) => d.verdict === v).length;
  const ops = Object.entries(review.ops).filter(([, n]) => n > 0).map(([op, n]) => `${n} ${op}`).join(", ");
  const changed = review.unchanged > 0 ? `${review.domains.length} of ${review.domains.length + review.unchanged} mail domain(s) changed` : `${review.domains.length} mail domain(s)`;
  return `${changed}: ${by("blocks mail")} block mail, ${by("needs attention")} need attention, ${by("safe")} safe · resources: ${ops || "no changes"}`;
}

export function formatMarkdown(review: Review, maxChars = GITHUB_COMMENT_LIMIT): string {
  const head = [COMMENT_MARKER, "## maildns review", "", counts(review), "", ...review.notes.map((n) => `> ${n}`), ...(review.notes.length ? [""] : [])].join("\n");
  const tail: string[] = [];
  if (review.other.length) {
    tail.push("### Other records", "", "| op | name | type | before | after | TTL |", "|---|---|---|---|---|---|");
    for (const r of review.other) tail.push(`| ${r.op} | ${owner(r)} | ${r.type} | ${cell(side(r.before, r.after))} | ${cell(side(r.after, r.before, r.unknownAfter))} | ${ttl(r)} |`);
    tail.push("");
  }
  if (review.violations.length) tail.push("### Policy violations", "", ...review.violations.map((v) => violationLine(v, true)), "");
  const tailText = tail.join("\n");
  const sections = review.domains.map(domainMarkdown);
  let body = "";
  let shown = 0;
  const note = (left: DomainReview[]) =>
    `> **${left.length} mail domain(s) left out** to fit ${maxChars} characters (${left.map((d) => `${d.domain}: ${d.verdict}`).join(", ")}). Run \`maildns review\` on the preview for the full report.\n`;
  for (const s of sections) {
    const rest = review.domains.slice(shown + 1);
    const budget = maxChars - head.length - tailText.length - (rest.length ? clip(note(rest), maxChars).length : 0) - 4;
    if (body.length + s.length + 1 > budget) break;
    body += `${s}\n`;
    shown++;
  }
  const left = review.domains.slice(shown);
  const out = `${head}\n${body}${left.length ? `${clip(note(left), Math.max(200, maxChars - head.length - body.length - tailText.length - 4))}\n` : ""}${tailText}`;
  return out.length > maxChars ? `${out.slice(0, maxChars - 2)}…\n` : out;
}

/** A note naming many left-out domains is itself cut to fit. */
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 3)}…\n` : s);

export function formatText(review: Review): string {
  const parts = ["maildns review", counts(review), ...review.notes.map((n) => `note: ${n}`), "", ...review.domains.map(domainText)];
  if (review.other.length) parts.push("other records:", ...review.other.map((r) => `  ${r.op.padEnd(7)} ${owner(r)} ${r.type}`));
  if (review.violations.length) parts.push("policy violations:", ...review.violations.map((v) => violationLine(v, false)));
  return parts.join("\n");
}

/** JSON: the review with full values, secrets hidden as the other formats hide them. */
export function formatJson(review: Review): string {
  const rows = (list: RecordRow[]) => list.map((r) => ({ ...r, before: r.before.map((v) => (secret(v) ? "[secret]" : v)), after: r.after.map((v) => (secret(v) ? "[secret]" : v)) }));
  return JSON.stringify({ ...review, domains: review.domains.map((d) => ({ ...d, rows: rows(d.rows) })), other: rows(review.other) }, null, 2);
}

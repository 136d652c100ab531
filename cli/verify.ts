import { readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { MailDnsError } from "../lib/errors";
import { Finding, receiversSentence } from "../lib/finding";
import { liveView } from "../lib/live";
import { canonicalName, nameProblems, normalizeName } from "../lib/names";
import { CachingResolver, cachingResolver, createResolver, DnsResolver, parseServer } from "../lib/resolver";
import { getRule, rules, runRules } from "../lib/rules";
import { isMtaStsRecord, mtaStsName, parseMtaStsRecord } from "../lib/mta-sts";
import { tlsaFromPem } from "../lib/tlsa";
import { ANSWERED, DomainView, questionsAt, withFacts } from "../lib/view";
import { fetchMtaStsPolicy } from "./mta-sts-fetch";

export interface VerifyOptions {
  server?: string;
  expect?: string;
  selector?: string[];
  json?: boolean;
  timeout?: string;
  disable?: string[];
  dnsbl?: string[];
  /** Domains checked at once (default 32). */
  concurrency?: string;
  /** One resolver (and cache) shared by every domain of a run. */
  resolver?: DnsResolver;
  /** CA certificates (PEM file) to trust for MTA-STS policy hosts instead of Node's bundle. */
  caFile?: string;
  /** Port of the MTA-STS policy hosts (default 443). */
  httpsPort?: string;
  /** PEM files of the certificates the MX hosts present, for tlsa-matches-certificate. */
  tlsaCert?: string[];
}

export interface VerifyReport {
  domain: string;
  server: string;
  /** False when not one question about the domain itself was answered. */
  checked: boolean;
  findings: Finding[];
  passed: string[];
  errors: number;
  warnings: number;
  /** Checks that could not be made (DNS failed): never counted as passed. */
  unverified: number;
}

export interface VerifyRun {
  reports: VerifyReport[];
  errors: number;
  warnings: number;
  unverified: number;
  /** Distinct DNS questions of the run; each was sent once. */
  questions: number;
}

/** Stack outputs by file (and its size and time), read once however many domains they declare. */
const outputsRead = new Map<string, Record<string, unknown>>();

function readOutputs(file: string, field: string): Record<string, unknown> {
  let key = file;
  try {
    const st = statSync(file);
    key = `${file} ${st.size} ${st.mtimeMs}`;
  } catch {
    // reading it below says what is wrong
  }
  const done = outputsRead.get(key);
  if (done) return done;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new MailDnsError("invalid-config", `cannot read stack outputs: ${(e as Error).message}`, { field, value: file });
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new MailDnsError("invalid-config", "stack outputs are a JSON object (pulumi stack output --json)", { field, value: file });
  const domains = (data as { domains?: unknown }).domains;
  if (domains !== undefined && (!domains || typeof domains !== "object" || Array.isArray(domains))) {
    throw new MailDnsError("invalid-config", "the stack outputs' \"domains\" is not an object of domains", { field, value: file });
  }
  const out = (domains ?? data) as Record<string, unknown>;
  outputsRead.set(key, out);
  return out;
}

/** Every domain the stack outputs declare records for. */
export function declaredDomains(file: string): string[] {
  const all = readOutputs(file, "--stack-outputs");
  const list = Object.keys(all).filter((d) => Array.isArray((all[d] as { records?: unknown } | null)?.records));
  if (list.length === 0) throw new MailDnsError("invalid-config", "the stack outputs declare no domains (expected domains.<domain>.records, as the maildns stack exports)", { field: "--stack-outputs", value: file });
  return list;
}

type Declared = { name: string; type: string; values: string[] };

/** Declared records and DKIM selectors of `domain` from `pulumi stack output --json`. */
export function readExpectations(file: string, domain: string): { expected: Declared[]; selectors: string[] } {
  const all = readOutputs(file, "--expect");
  const entry = (all as Record<string, { records?: unknown; dkim?: unknown } | null>)[domain];
  if (!entry || !Array.isArray(entry.records)) {
    throw new MailDnsError("invalid-config", `the stack outputs declare no records for ${domain} (expected domains.<domain>.records, as the maildns stack exports)`, { field: "--expect", value: file });
  }
  const expected: Declared[] = [];
  entry.records.forEach((r: unknown, i) => {
    const rec = r as Partial<Declared> | null;
    if (!rec || typeof rec.name !== "string" || typeof rec.type !== "string" || !Array.isArray(rec.values) || !rec.values.every((v) => typeof v === "string")) {
      throw new MailDnsError("invalid-config", `domains.${domain}.records[${i}] is not { name, type, values: string[] }`, { field: "--expect", value: file });
    }
    expected.push({ name: rec.name, type: rec.type, values: rec.values });
  });
  const dkim = Array.isArray(entry.dkim) ? (entry.dkim as unknown[]) : [];
  const selectors = dkim
    .filter((d): d is { selector: string; value: string } => typeof (d as { selector?: unknown })?.selector === "string" && typeof (d as { value?: unknown })?.value === "string")
    .filter((d) => !/;\s*p=\s*$/.test(d.value))
    .map((d) => d.selector);
  return { expected, selectors };
}

/** Checks every argument before any query; throws MailDnsError (exit 2) naming the argument. */
export function checkArguments(domains: string[], opts: VerifyOptions): string[] {
  const list: string[] = [];
  for (const d of domains) {
    if (typeof d !== "string" || d.trim() === "") throw new MailDnsError("invalid-config", "a domain is empty", { field: "domain", value: d });
    if (isIP(d.replace(/^\[|\]$/g, "")) !== 0) throw new MailDnsError("invalid-config", "an IP address is not a mail domain; name the domain (e.g. example.com)", { field: "domain", value: d });
    const name = normalizeName(d, { kind: "host", field: "domain" });
    if (!name.includes(".")) throw new MailDnsError("invalid-config", "a mail domain has at least two labels, e.g. example.com", { field: "domain", value: d, rfc: "RFC 5321 §2.3.5" });
    if (!list.includes(name)) list.push(name);
  }
  if (list.length === 0) throw new MailDnsError("invalid-config", "name at least one domain, or --stack-outputs FILE", { field: "domains" });
  if (opts.timeout !== undefined && (!/^[0-9]+$/.test(opts.timeout) || Number(opts.timeout) < 1 || Number(opts.timeout) > 600000)) {
    throw new MailDnsError("invalid-config", "--timeout is a number of milliseconds from 1 to 600000", { field: "--timeout", value: opts.timeout });
  }
  if (opts.concurrency !== undefined && (!/^[0-9]+$/.test(opts.concurrency) || Number(opts.concurrency) < 1 || Number(opts.concurrency) > 1024)) {
    throw new MailDnsError("invalid-config", "--concurrency is a whole number from 1 to 1024", { field: "--concurrency", value: opts.concurrency });
  }
  if (opts.server !== undefined) parseServer(opts.server, "--server");
  for (const s of opts.selector ?? []) {
    const problems = nameProblems(canonicalName(s), "host");
    if (problems.length) throw new MailDnsError("invalid-config", `not a valid selector: ${problems.join("; ")}`, { field: "--selector", value: s, rfc: "RFC 6376 §3.1" });
  }
  for (const z of opts.dnsbl ?? []) normalizeName(z, { kind: "host", field: "--dnsbl" });
  for (const id of opts.disable ?? []) {
    if (!getRule(id)) throw new MailDnsError("invalid-config", `unknown rule id; known ids are ${rules.map((r) => r.id).join(", ")}`, { field: "--disable", value: id });
  }
  if (opts.expect) for (const d of list) readExpectations(opts.expect, d);
  if (opts.httpsPort !== undefined && (!/^[0-9]+$/.test(opts.httpsPort) || Number(opts.httpsPort) < 1 || Number(opts.httpsPort) > 65535)) {
    throw new MailDnsError("invalid-config", "--https-port is a TCP port from 1 to 65535", { field: "--https-port", value: opts.httpsPort });
  }
  if (opts.caFile !== undefined) {
    let pem = "";
    try {
      pem = readFileSync(opts.caFile, "utf8");
    } catch (e) {
      throw new MailDnsError("invalid-config", `cannot read the CA file: ${(e as Error).message}`, { field: "--ca-file", value: opts.caFile });
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new MailDnsError("invalid-config", "the CA file holds no PEM certificate", { field: "--ca-file", value: opts.caFile });
  }
  for (const f of opts.tlsaCert ?? []) readTlsaCert(f);
  return list;
}

/** A --tlsa-cert file: PEM holding at least one certificate or public key. */
function readTlsaCert(file: string): string {
  let pem = "";
  try {
    pem = readFileSync(file, "utf8");
  } catch (e) {
    throw new MailDnsError("invalid-config", `cannot read the certificate file: ${(e as Error).message}`, { field: "--tlsa-cert", value: file });
  }
  try {
    tlsaFromPem(pem);
  } catch (e) {
    throw new MailDnsError("invalid-config", `not a PEM certificate or public key: ${(e as Error).message}`, { field: "--tlsa-cert", value: file, rfc: "RFC 6698 §2.1" });
  }
  return pem;
}

/** A caching resolver for one run, asking `--server` (or the system's) with `--timeout`. */
function newRunResolver(opts: VerifyOptions): CachingResolver {
  return cachingResolver(createResolver({ servers: opts.server ? [opts.server] : undefined, timeoutMs: opts.timeout ? Number(opts.timeout) : 3000, tries: 2 }));
}

export function runResolver(opts: VerifyOptions): DnsResolver {
  return opts.resolver ?? newRunResolver(opts);
}

export async function verify(domainArg: string, opts: VerifyOptions): Promise<VerifyReport> {
  const domain = canonicalName(domainArg);
  const resolver = runResolver(opts);
  const exp = opts.expect ? readExpectations(opts.expect, domain) : { expected: undefined, selectors: [] };
  const selectors = [...new Set([...(opts.selector ?? []), ...exp.selectors])];
  const server = opts.server ?? "the system resolver";
  const live = await withMtaSts(domain, await liveView(domain, { resolver, selectors, server, expected: exp.expected, dnsbl: opts.dnsbl }), resolver, opts);
  const view = opts.tlsaCert?.length ? withFacts(live, { tlsaCertificates: opts.tlsaCert.map(readTlsaCert) }) : live;
  const findings = runRulesLive(view, opts.disable);
  const own = Object.entries(view.facts.questions ?? {}).filter(([k]) => k.startsWith(`${domain} `));
  const checked = own.some(([, v]) => ANSWERED.has(v));
  if (!checked) {
    findings.unshift({
      // Not a check that could not be made among others: the domain could not be checked at all, an error of the run.
      ruleId: "dns-answers", severity: "error", subject: domain, rfc: getRule("dns-answers")?.rfc,
      message: `could not check ${domain} at all: ${server} answered none of its questions (${[...new Set(own.map(([, v]) => v))].join("; ")})`,
    });
  }
  const failed = new Set(findings.map((f) => f.ruleId));
  const notApplicable = new Set([...(opts.disable ?? []), ...(exp.expected ? [] : ["declared-records-live"]), ...(opts.dnsbl?.length ? [] : ["mail-host-not-blocklisted"]), ...(opts.tlsaCert?.length ? [] : ["tlsa-matches-certificate"])]);
  return {
    domain,
    server: opts.server ?? "system",
    checked,
    findings,
    passed: checked ? rules.map((r) => r.id).filter((id) => !failed.has(id) && !notApplicable.has(id)) : [],
    errors: findings.filter((f) => f.severity === "error" && !f.unverified).length,
    warnings: findings.filter((f) => f.severity === "warning" && !f.unverified).length,
    unverified: findings.filter((f) => f.unverified).length,
  };
}

/**
 * The rules over a live view, each on its own: a rule that finds nothing
 * but read a name whose question DNS did not answer (SERVFAIL, timeout,
 * REFUSED) has not passed; it is reported "could not verify", naming the
 * questions, as a rule that reports the failure itself is.
 */
export function runRulesLive(view: DomainView, disabled: readonly string[] = []): Finding[] {
  runRules(view, { only: [], disabled });
  const questions = view.facts.questions ?? {};
  const unanswered = new Set(Object.keys(questions).filter((q) => !ANSWERED.has(questions[q] as string)));
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (disabled.includes(rule.id)) continue;
    const read = new Set<string>();
    const own = runRules(readsOf(view, read, questions), { only: [rule.id] });
    findings.push(...own);
    const missing = [...read].filter((q) => unanswered.has(q));
    if (own.length > 0 || missing.length === 0) continue;
    findings.push({
      ruleId: rule.id, severity: rule.severity, subject: missing[0]?.split(" ")[0] ?? "", unverified: true, rfc: rule.rfc, consequence: rule.consequence,
      message: `could not verify: it needs ${byOutcome(missing, questions)}, which DNS did not answer`,
    });
  }
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}

/** Questions grouped by what came back: "a A, a AAAA (SERVFAIL from …), b PTR (timeout from …)". */
function byOutcome(asked: string[], questions: Record<string, string>): string {
  const groups = new Map<string, string[]>();
  for (const q of asked) groups.set(questions[q] ?? "", [...(groups.get(questions[q] ?? "") ?? []), q]);
  return [...groups].map(([outcome, qs]) => `${qs.join(", ")} (${outcome})`).join(", ");
}

/** The view, noting in `read` each question ("name TYPE") whose answer a rule looks at. */
function readsOf(view: DomainView, read: Set<string>, questions: Record<string, string>): DomainView {
  const note = (name: string, type?: string) => {
    if (type !== undefined) read.add(`${name} ${type}`);
    else for (const q of questionsAt(questions, name)) read.add(q);
  };
  return {
    ...view,
    at: (name, type) => (note(name, type), view.at(name, type)),
    values: (name, type) => (note(name, type), view.values(name, type)),
    knows: (name, type) => (note(name, type), view.knows(name, type)),
  };
}

/**
 * With exactly one valid v=STSv1 record at _mta-sts (RFC 8461 §3.1; senders
 * fetch nothing otherwise), the policy fetched as senders fetch it.
 */
async function withMtaSts(domain: string, view: DomainView, resolver: DnsResolver, opts: VerifyOptions): Promise<DomainView> {
  const name = mtaStsName(domain);
  const records = view.values(name, "TXT").filter(isMtaStsRecord);
  if (records.length !== 1 || parseMtaStsRecord(records[0] as string, name).findings.length > 0) return view;
  const ca = opts.caFile ? readFileSync(opts.caFile, "utf8") : undefined;
  const policy = await fetchMtaStsPolicy(domain, { resolver, ca, port: opts.httpsPort ? Number(opts.httpsPort) : 443, timeoutMs: opts.timeout ? Number(opts.timeout) : 3000 });
  return withFacts(view, { mtaSts: { [domain]: policy } });
}

/**
 * Verify many domains concurrently (at most `concurrency` at once) through
 * one caching resolver: a question shared by several domains (an SPF
 * include, a report destination) is asked once per run.
 */
export async function verifyAll(domains: string[], opts: VerifyOptions): Promise<VerifyRun> {
  const cache = newRunResolver(opts);
  const resolver = opts.resolver ?? cache;
  const limit = opts.concurrency ? Number(opts.concurrency) : 32;
  const reports: VerifyReport[] = new Array(domains.length);
  let next = 0;
  const worker = async () => {
    while (next < domains.length) {
      const i = next++;
      reports[i] = await verify(domains[i] as string, { ...opts, resolver });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, domains.length) }, worker));
  const sum = (k: "errors" | "warnings" | "unverified") => reports.reduce((n, r) => n + r[k], 0);
  return { reports, errors: sum("errors"), warnings: sum("warnings"), unverified: sum("unverified"), questions: cache.questions() };
}

export function formatReport(r: VerifyReport): string {
  const width = Math.max(...rules.map((x) => x.id.length));
  const lines = [`maildns verify ${r.domain} (server ${r.server})`];
  for (const id of r.passed) lines.push(`pass  ${id.padEnd(width)}  ${r.domain}`);
  for (const f of r.findings) {
    const label = f.unverified ? "skip" : f.severity === "error" ? "fail" : "warn";
    lines.push(`${label}  ${f.ruleId.padEnd(width)}  ${f.subject}: ${f.message}${f.rfc ? ` (${f.rfc})` : ""}`);
    if (f.consequence && !f.unverified) lines.push(`      ${"".padEnd(width)}  ${receiversSentence(f.consequence)}`);
  }
  lines.push(`${r.errors} error(s), ${r.warnings} warning(s), ${r.unverified} not verified, ${r.passed.length} rule(s) passed`);
  return lines.join("\n");
}

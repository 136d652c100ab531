import { readFileSync } from "node:fs";
import { MailDnsError } from "../lib/errors";
import { Finding } from "../lib/finding";
import { liveView } from "../lib/live";
import { canonicalName } from "../lib/names";
import { cachingResolver, createResolver } from "../lib/resolver";
import { rules, runRules } from "../lib/rules";

export interface VerifyOptions {
  server?: string;
  expect?: string;
  selector?: string[];
  json?: boolean;
  timeout?: string;
  disable?: string[];
}

export interface VerifyReport {
  domain: string;
  server: string;
  findings: Finding[];
  passed: string[];
  errors: number;
  warnings: number;
}

function readOutputs(file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new MailDnsError("invalid-config", `cannot read stack outputs: ${(e as Error).message}`, { field: "--expect", value: file });
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new MailDnsError("invalid-config", "stack outputs are a JSON object (pulumi stack output --json)", { field: "--expect", value: file });
  return ((data as { domains?: Record<string, unknown> }).domains ?? data) as Record<string, unknown>;
}

/** Every domain the stack outputs declare records for. */
export function declaredDomains(file: string): string[] {
  const all = readOutputs(file);
  const list = Object.keys(all).filter((d) => Array.isArray((all[d] as { records?: unknown } | null)?.records));
  if (list.length === 0) throw new MailDnsError("invalid-config", "the stack outputs declare no domains (expected domains.<domain>.records, as the maildns stack exports)", { field: "--stack-outputs", value: file });
  return list;
}

/** Declared records and DKIM selectors of `domain` from `pulumi stack output --json`. */
export function readExpectations(file: string, domain: string): { expected: { name: string; type: string; values: string[] }[]; selectors: string[] } {
  const all = readOutputs(file);
  const entry = (all as Record<string, { records?: unknown; dkim?: unknown }>)[domain];
  if (!entry || !Array.isArray(entry.records)) {
    throw new MailDnsError("invalid-config", `the stack outputs declare no records for ${domain} (expected domains.<domain>.records, as the maildns stack exports)`, { field: "--expect", value: file });
  }
  const expected = (entry.records as { name: string; type: string; values: string[] }[]).map((r) => ({ name: r.name, type: r.type, values: r.values }));
  const selectors = Array.isArray(entry.dkim) ? (entry.dkim as { selector: string; value: string }[]).filter((d) => !/;\s*p=\s*$/.test(d.value)).map((d) => d.selector) : [];
  return { expected, selectors };
}

export async function verify(domainArg: string, opts: VerifyOptions): Promise<VerifyReport> {
  const domain = canonicalName(domainArg);
  const timeoutMs = opts.timeout ? Number(opts.timeout) : 3000;
  const resolver = cachingResolver(createResolver({ servers: opts.server ? [opts.server] : undefined, timeoutMs, tries: 2 }));
  const exp = opts.expect ? readExpectations(opts.expect, domain) : { expected: undefined, selectors: [] };
  const selectors = [...new Set([...(opts.selector ?? []), ...exp.selectors])];
  const view = await liveView(domain, { resolver, selectors, server: opts.server ?? "the system resolver", expected: exp.expected });
  const findings = runRules(view, { disabled: opts.disable });
  const failed = new Set(findings.map((f) => f.ruleId));
  return {
    domain,
    server: opts.server ?? "system",
    findings,
    passed: rules.map((r) => r.id).filter((id) => !failed.has(id) && !(opts.disable ?? []).includes(id)),
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
  };
}

export function formatReport(r: VerifyReport): string {
  const width = Math.max(...rules.map((x) => x.id.length));
  const lines = [`maildns verify ${r.domain} (server ${r.server})`];
  for (const id of r.passed) lines.push(`pass  ${id.padEnd(width)}  ${r.domain}`);
  for (const f of r.findings) {
    lines.push(`${f.severity === "error" ? "fail" : "warn"}  ${f.ruleId.padEnd(width)}  ${f.subject}: ${f.message}${f.rfc ? ` (${f.rfc})` : ""}`);
  }
  lines.push(`${r.errors} error(s), ${r.warnings} warning(s), ${r.passed.length} rule(s) passed`);
  return lines.join("\n");
}

import { readFileSync } from "node:fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { MailDnsError } from "../lib/errors";
import { evaluate, Violation } from "../policies/evaluate";
import { StackResource } from "../policies/resources";

/**
 * `maildns lint`: the policy pack's verdicts on a `pulumi preview --json`
 * output or a `pulumi stack export` file, for teams that cannot run policy
 * packs and for CI gates.
 */
export interface LintOptions {
  config?: string;
  json?: boolean;
  offline?: boolean;
  dnsServer?: string[];
}

interface State { type?: string; urn?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }

/** The resources of a preview (its steps' new states) or of a stack export. */
export function resourcesOf(file: string): StackResource[] {
  let data: { steps?: { op?: string; newState?: State; oldState?: State }[]; deployment?: { resources?: State[] } };
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new MailDnsError("invalid-config", `cannot read ${file}: ${(e as Error).message}`, { field: "file", value: file });
  }
  const states: State[] = data.steps
    ? data.steps.filter((s) => s.op !== "delete" && s.op !== "discard").map((s) => s.newState ?? s.oldState ?? {})
    : (data.deployment?.resources ?? []);
  if (!data.steps && !data.deployment) {
    throw new MailDnsError("invalid-config", "not a `pulumi preview --json` output nor a `pulumi stack export` file", { field: "file", value: file });
  }
  return states
    .filter((s): s is Required<Pick<State, "type" | "urn">> & State => typeof s.type === "string" && typeof s.urn === "string")
    .map((s) => ({ type: s.type, urn: s.urn, name: s.urn.split("::").pop() ?? s.urn, props: { ...(s.outputs ?? {}), ...(s.inputs ?? {}) } }));
}

export async function lint(file: string, opts: LintOptions): Promise<{ violations: Violation[]; mandatory: number }> {
  let config: PolicyPackConfig = {};
  if (opts.config) {
    try {
      config = JSON.parse(readFileSync(opts.config, "utf8")) as PolicyPackConfig;
    } catch (e) {
      throw new MailDnsError("invalid-config", `cannot read the policy config: ${(e as Error).message}`, { field: "--config", value: opts.config });
    }
  }
  if (opts.offline || opts.dnsServer) {
    const dns = opts.offline ? { offline: true } : { dnsServers: opts.dnsServer };
    const { policies } = await import("../policies/policies");
    for (const p of policies) {
      const own = config[p.name];
      config[p.name] = typeof own === "string" ? { enforcementLevel: own, ...dns } : { ...(own ?? {}), ...dns };
    }
  }
  const violations = await evaluate(resourcesOf(file), config);
  return { violations, mandatory: violations.filter((v) => v.level === "mandatory").length };
}

export function formatLint(file: string, r: { violations: Violation[]; mandatory: number }): string {
  const width = Math.max(0, ...r.violations.map((v) => v.policy.length));
  const lines = [`maildns lint ${file}`];
  const label = (v: Violation) => (v.level === "mandatory" ? "fail" : v.level === "note" ? "note" : "warn");
  for (const v of r.violations) lines.push(`${label(v)}  ${v.policy.padEnd(width)}  ${v.message}`);
  const advisory = r.violations.filter((v) => v.level === "advisory").length;
  lines.push(`${r.mandatory} mandatory violation(s), ${advisory} advisory`);
  return lines.join("\n");
}

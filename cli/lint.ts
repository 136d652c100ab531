import { readFileSync } from "node:fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { MailDnsError } from "../lib/errors";
import { evaluate, Violation } from "../policies/evaluate";
import { StackResource, withKeptKeys } from "../policies/resources";

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

export type JsonObject = Record<string, unknown>;

const EXPECTED = "a `pulumi preview --json` output or a `pulumi stack export` file";
/** Keys only a `pulumi preview --json` document has (each is left out when empty). */
const PREVIEW_KEYS = ["steps", "diagnostics", "changeSummary", "duration"];

export const invalid = (file: string, reason: string) => new MailDnsError("invalid-config", reason, { field: "file", value: file });

/** The resources of a preview (its steps' new states) or of a stack export. */
export function resourcesOf(file: string): StackResource[] {
  return resourcesFromJson(readJson(file), file);
}

/** {@link resourcesOf} on a document already parsed; `file` only names it in errors. */
export function resourcesFromJson(data: unknown, file: string): StackResource[] {
  if (!isObject(data)) throw invalid(file, `the file holds ${describe(data)}, expected a JSON object (${EXPECTED})`);
  if (PREVIEW_KEYS.some((k) => Object.hasOwn(data, k))) return previewResources(data, file);
  if (Object.hasOwn(data, "deployment")) return exportResources(data, file);
  throw invalid(file, 'not a `pulumi preview --json` output nor a `pulumi stack export` file: it has neither "steps" nor "deployment"');
}

export function readJson(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw invalid(file, `cannot read the file: ${errorText(e)}`);
  }
  const text = decode(bytes);
  if (text.trim() === "") throw invalid(file, `the file is empty, expected ${EXPECTED}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw invalid(file, `the file cannot be parsed as JSON (${errorText(e)}), expected ${EXPECTED}`);
  }
}

/** UTF-8, with or without a byte order mark, or UTF-16LE with one (PowerShell's `>`). */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  const text = bytes.toString("utf8");
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

function previewResources(data: JsonObject, file: string): StackResource[] {
  const failure = previewFailure(data, file);
  if (failure !== undefined) throw invalid(file, `the preview failed: ${failure}`);
  const steps = optionalArray(own(data, "steps"), "steps", file);
  if (steps.length === 0) throw invalid(file, "the preview has no resources (nothing to check)");
  return steps.flatMap((step, i) => stepResource(step, `steps[${i}]`, file));
}

/** The first error diagnostic's message, on one line; undefined when the preview reported no error. */
export function previewFailure(data: JsonObject, file: string): string | undefined {
  const diagnostics = optionalArray(own(data, "diagnostics"), "diagnostics", file);
  for (const [i, entry] of diagnostics.entries()) {
    const path = `diagnostics[${i}]`;
    const diagnostic = expectObject(entry, path, file);
    if (optionalString(own(diagnostic, "severity"), `${path}.severity`, file) !== "error") continue;
    const message = oneLine(optionalString(own(diagnostic, "message"), `${path}.message`, file) ?? "");
    return message === "" ? `${path} has no message` : message;
  }
  return undefined;
}

/** A step's resource: its new state, or its old one when it has none; nothing for a step that removes it. */
function stepResource(entry: unknown, path: string, file: string): StackResource[] {
  const step = expectObject(entry, path, file);
  const op = optionalString(own(step, "op"), `${path}.op`, file);
  if (op === "delete" || op === "discard") return [];
  const key = own(step, "newState") !== undefined ? "newState" : "oldState";
  const state = own(step, key);
  if (state === undefined) throw invalid(file, `${path}${op === undefined ? "" : ` (op ${JSON.stringify(op)})`} has neither newState nor oldState`);
  const resource = toResource(state, `${path}.${key}`, file);
  // A planned state has no outputs: the DKIM keys a zone resource keeps are in its old state.
  const old = own(step, "oldState");
  return [key === "newState" && isObject(old) ? withKeptKeys(toResource(old, `${path}.oldState`, file), resource) : resource];
}

function exportResources(data: JsonObject, file: string): StackResource[] {
  const deployment = expectObject(own(data, "deployment"), "deployment", file);
  const resources = optionalArray(own(deployment, "resources"), "deployment.resources", file);
  if (resources.length === 0) throw invalid(file, "the stack export has no resources (nothing to check)");
  return resources.map((r, i) => toResource(r, `deployment.resources[${i}]`, file));
}

export function toResource(entry: unknown, path: string, file: string): StackResource {
  const state = expectObject(entry, path, file);
  const type = expectString(own(state, "type"), `${path}.type`, file);
  const urn = expectString(own(state, "urn"), `${path}.urn`, file);
  const inputs = optionalObject(own(state, "inputs"), `${path}.inputs`, file);
  const outputs = optionalObject(own(state, "outputs"), `${path}.outputs`, file);
  const id = own(state, "id");
  const deps = optionalObject(own(state, "propertyDependencies"), `${path}.propertyDependencies`, file);
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(deps)) {
    if (v === null) continue;
    if (!Array.isArray(v) || !v.every((u) => typeof u === "string")) throw invalid(file, `${path}.propertyDependencies.${k} is ${describe(v)}, expected an array of URNs`);
    propertyDependencies[k] = v as string[];
  }
  return {
    type,
    urn,
    name: urn.split("::").pop() ?? urn,
    props: { ...outputs, ...inputs },
    outputs,
    ...(typeof id === "string" && id !== "" ? { id } : {}),
    ...(Object.keys(propertyDependencies).length ? { propertyDependencies } : {}),
  };
}

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
export const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export function expectObject(v: unknown, path: string, file: string): JsonObject {
  if (!isObject(v)) throw invalid(file, `${path} is ${describe(v)}, expected an object`);
  return v;
}

export function optionalObject(v: unknown, path: string, file: string): JsonObject {
  return v === undefined ? {} : expectObject(v, path, file);
}

export function expectString(v: unknown, path: string, file: string): string {
  if (typeof v !== "string") throw invalid(file, `${path} is ${describe(v)}, expected a string`);
  return v;
}

export function optionalString(v: unknown, path: string, file: string): string | undefined {
  return v === undefined ? undefined : expectString(v, path, file);
}

/** Pulumi leaves an empty list out; null reads the same. */
export function optionalArray(v: unknown, path: string, file: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(file, `${path} is ${describe(v)}, expected an array`);
  return v;
}

/** What a JSON value is, for error messages: `missing`, `null`, `an array`, `the number 5`, ... */
export function describe(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length === 0 ? "an empty array" : "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${clip(JSON.stringify(v), 40)}`;
  return `the ${typeof v} ${String(v)}`;
}

/** A diagnostic on one line: colours and the `error: ` prefix dropped; a first line ending in a colon keeps its next. */
export function oneLine(message: string): string {
  const lines = stripAnsi(message).split(/\r\n|\r|\n/).map(flat).filter((l) => l !== "");
  const [first = "", next] = lines;
  const line = first.endsWith(":") && next !== undefined ? `${first} ${next}` : first;
  return clip(line.replace(/^error:\s*/i, ""), 300);
}

const ESC = String.fromCharCode(27);
const stripAnsi = (s: string) => s.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*[A-Za-z]/, ""))).join("");
/** Control characters and runs of white space as one space. */
const flat = (s: string) => [...s].map((c) => (c < " " || c === "\u007f" ? " " : c)).join("").replace(/\s+/g, " ").trim();
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);
const errorText = (e: unknown) => clip(flat(hasMessage(e) ? e.message : String(e)), 200);
const hasMessage = (e: unknown): e is { message: string } => typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string";

export async function lint(file: string, opts: LintOptions): Promise<{ violations: Violation[]; mandatory: number }> {
  const config = opts.config ? readPolicyConfig(opts.config) : {};
  if (opts.offline || opts.dnsServer) await withDns(config, opts.offline ? { offline: true } : { dnsServers: opts.dnsServer });
  const violations = await evaluate(resourcesOf(file), config);
  return { violations, mandatory: violations.filter((v) => v.level === "mandatory").length };
}

/** Every policy of `config` also gets the DNS settings (offline, or the servers for SPF includes), its own settings kept. */
export async function withDns(config: PolicyPackConfig, dns: { offline: true } | { dnsServers?: string[] }): Promise<PolicyPackConfig> {
  const { policies } = await import("../policies/policies");
  for (const p of policies) {
    const own = config[p.name];
    config[p.name] = typeof own === "string" ? { enforcementLevel: own, ...dns } : { ...(own ?? {}), ...dns };
  }
  return config;
}

/** The enforcement levels the Pulumi CLI accepts in a policy pack config. */
const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** A policy pack config: policy name → enforcement level, or an object of settings. */
export function readPolicyConfig(path: string): PolicyPackConfig {
  const bad = (reason: string) => new MailDnsError("invalid-config", reason, { field: "--config", value: path });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (e) {
    throw bad(`cannot read the policy config: ${errorText(e)}`);
  }
  if (!isObject(data)) throw bad(`the policy config is ${describe(data)}, expected an object of policy names`);
  for (const [name, value] of Object.entries(data)) {
    if (typeof value !== "string" && !isObject(value)) throw bad(`the policy config's ${JSON.stringify(name)} is ${describe(value)}, expected an enforcement level or an object`);
    // As \`pulumi up --policy-pack-config\` does: a misspelt level is an error, not a level of its own.
    const level = typeof value === "string" ? value : value.enforcementLevel;
    if (level !== undefined && !(ENFORCEMENT_LEVELS as readonly unknown[]).includes(level)) {
      throw bad(`the policy config's ${JSON.stringify(name)} has enforcement level ${JSON.stringify(level)}; it is ${ENFORCEMENT_LEVELS.join(", ")}`);
    }
  }
  return data as PolicyPackConfig;
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

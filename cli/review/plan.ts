import { RESOURCE_TYPES, StackResource, withKeptKeys } from "../../policies/resources";
import { describe, expectObject, invalid, isObject, JsonObject, oneLine, optionalArray, optionalString, own, previewFailure, readJson, toResource } from "../lint";

/**
 * A `pulumi preview --json` document as a plan: one entry per resource with
 * its state before and after, in the order the engine runs the steps.
 */
export type PlanOp = "same" | "create" | "update" | "replace" | "delete" | "read" | "other";

export interface PlanStep {
  op: PlanOp;
  urn: string;
  type: string;
  before?: StackResource;
  after?: StackResource;
  /** A replacement that deletes the old resource before it creates the new one. */
  deleteBeforeReplace: boolean;
  /** URNs the new state depends on (the engine runs those steps first). */
  dependencies: string[];
  /** The replacement's order was read from its steps. */
  ordered?: boolean;
}

export interface PolicyViolation {
  policy: string;
  level: string;
  message: string;
  urn?: string;
}

export interface Plan {
  steps: PlanStep[];
  /** False when the preview left unchanged resources out (no --show-sames): the views then lack them. */
  complete: boolean;
  /** Unchanged resources the preview counted but did not list. */
  omitted: number;
  warnings: string[];
}

/** Resource types whose provider replaces by deleting first (maildns's zone-file and RFC 2136 resources). */
const DELETE_FIRST = new Set<string>([...RESOURCE_TYPES.zonefile, ...RESOURCE_TYPES.zonefileRecords, ...RESOURCE_TYPES.zonefileSet, ...RESOURCE_TYPES.rfc2136Records, ...RESOURCE_TYPES.rfc2136Set]);

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "discard-replaced", "import-replacement"]);

export function readPlan(file: string): Plan {
  return planFromJson(readJson(file), file);
}

/** Never throws anything but a MailDnsError naming the JSON path, whatever the document holds. */
export function planFromJson(data: unknown, file: string): Plan {
  if (!isObject(data)) throw invalid(file, `the file holds ${describe(data)}, expected the JSON object of \`pulumi preview --json\``);
  if (!Object.hasOwn(data, "steps") && !Object.hasOwn(data, "changeSummary")) {
    throw invalid(file, Object.hasOwn(data, "deployment") ? "this is a stack export; review reads a plan: `pulumi preview --json --show-sames > preview.json`" : 'not a `pulumi preview --json` output: it has no "steps"');
  }
  // A preview stopped by a mandatory policy still planned every step; its only error is the generic "preview failed".
  const failure = previewFailure({ diagnostics: optionalArray(own(data, "diagnostics"), "diagnostics", file).filter((d) => !(isObject(d) && typeof d.message === "string" && /^(error:\s*)?preview failed\s*$/i.test(d.message.trim()))) }, file);
  if (failure !== undefined) throw invalid(file, `the preview failed, so there is no plan to review: ${failure}`);
  const raw = optionalArray(own(data, "steps"), "steps", file);
  const byUrn = new Map<string, PlanStep>();
  const order: string[] = [];
  raw.forEach((entry, i) => {
    const path = `steps[${i}]`;
    const step = expectObject(entry, path, file);
    const op = optionalString(own(step, "op"), `${path}.op`, file) ?? "same";
    const urn = optionalString(own(step, "urn"), `${path}.urn`, file);
    const oldState = own(step, "oldState");
    const newState = own(step, "newState");
    const before = oldState === undefined || oldState === null ? undefined : toResource(oldState, `${path}.oldState`, file);
    const after = newState === undefined || newState === null ? undefined : toResource(newState, `${path}.newState`, file);
    const key = urn ?? before?.urn ?? after?.urn;
    if (key === undefined) throw invalid(file, `${path} has no urn and no state`);
    let s = byUrn.get(key);
    if (!s) {
      s = { op: "same", urn: key, type: (after ?? before)?.type ?? typeOf(key), deleteBeforeReplace: false, dependencies: [] };
      byUrn.set(key, s);
      order.push(key);
    }
    s.before ??= before;
    // With --show-replacement-steps the order says it: the old one deleted first, or the new one created first.
    if (op === "delete-replaced" && !s.ordered) [s.deleteBeforeReplace, s.ordered] = [true, true];
    if (op === "create-replacement" && !s.ordered) [s.deleteBeforeReplace, s.ordered] = [false, true];
    s.op = merge(s.op, op);
    if (op !== "delete" && op !== "delete-replaced" && after) {
      s.after = after;
      s.dependencies = dependenciesOf(newState as JsonObject);
    }
    if (op === "delete") s.after = undefined;
  });
  const steps = order.map((u) => byUrn.get(u) as PlanStep);
  for (const s of steps) {
    if (s.op === "create") s.before = undefined;
    if (s.before && s.after) s.after = withKeptKeys(s.before, s.after);
    // Without the replacement steps, what each provider does: maildns's own resources delete first.
    if (s.op === "replace" && !s.ordered) s.deleteBeforeReplace = DELETE_FIRST.has(s.type);
    delete s.ordered;
  }
  const summary = own(data, "changeSummary");
  const sames = isObject(summary) && typeof summary.same === "number" ? summary.same : 0;
  const listed = steps.filter((s) => s.op === "same" && !s.type.startsWith("pulumi:pulumi:Stack")).length;
  const omitted = Math.max(0, sames - listed - (steps.some((s) => s.type === "pulumi:pulumi:Stack" && s.op === "same") ? 1 : 0));
  const warnings = optionalArray(own(data, "diagnostics"), "diagnostics", file).flatMap((d) =>
    isObject(d) && d.severity === "warning" && typeof d.message === "string" ? [oneLine(d.message).replace(/^warning:\s*/i, "")] : [],
  );
  return { steps, complete: omitted === 0, omitted, warnings };
}

function merge(current: PlanOp, op: string): PlanOp {
  if (REPLACE_OPS.has(op)) return "replace";
  if (current === "replace") return current;
  switch (op) {
    case "same":
    case "create":
    case "update":
    case "delete":
    case "read":
      return op;
    case "refresh":
      return current;
    default:
      return "other";
  }
}

function dependenciesOf(state: JsonObject): string[] {
  const deps = own(state, "dependencies");
  return Array.isArray(deps) ? deps.filter((d): d is string => typeof d === "string") : [];
}

const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

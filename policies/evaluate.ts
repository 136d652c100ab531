import type { EnforcementLevel, PolicyPackConfig, StackValidationArgs } from "@pulumi/policy";
import { policies } from "./policies";
import { StackResource } from "./resources";

/**
 * Run every policy over plain `{ type, name, urn?, props }` objects, without
 * the engine: for tests, `maildns lint` and CI gates.
 */
export interface Violation {
  policy: string;
  /** "note": the policy said it did not apply (e.g. values unknown during preview), not a violation. */
  level: EnforcementLevel | "note";
  message: string;
  subject?: string;
  urn?: string;
}

class NotApplicable extends Error {}

export async function evaluate(resources: StackResource[], config: PolicyPackConfig = {}): Promise<Violation[]> {
  const out: Violation[] = [];
  const all = config.all;
  for (const p of policies) {
    // Resource policies need the engine; the resources given here carry their inputs already.
    if (!("validateStack" in p)) continue;
    const own = config[p.name];
    const ownObj = typeof own === "object" ? own : {};
    const allLevel = typeof all === "string" ? all : (all as { enforcementLevel?: EnforcementLevel } | undefined)?.enforcementLevel;
    const level = (typeof own === "string" ? own : ownObj.enforcementLevel) ?? allLevel ?? p.enforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    const defaults = Object.fromEntries(Object.entries(p.configSchema?.properties ?? {}).flatMap(([k, v]) => ("default" in v ? [[k, v.default]] : [])));
    const args = {
      resources,
      stackTags: new Map(),
      // As the engine does: "all" sets the enforcement level only; properties are per policy.
      getConfig: () => ({ ...defaults, ...ownObj }),
      notApplicable: (reason?: string) => {
        throw new NotApplicable(reason ?? "not applicable");
      },
    } as unknown as StackValidationArgs;
    try {
      await p.validateStack(args, (message: string, urn?: string) => {
        out.push({ policy: p.name, level, message, subject: message.split(": ")[0], urn });
      });
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
      out.push({ policy: p.name, level: "note", message: e.message });
    }
  }
  return out;
}

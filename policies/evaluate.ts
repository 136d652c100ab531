import type { EnforcementLevel, PolicyPackConfig, StackValidationArgs } from "@pulumi/policy";
import { policies } from "./policies";
import { StackResource } from "./resources";

/**
 * Run every policy over plain `{ type, name, urn?, props }` objects, without
 * the engine: for tests, `maildns lint` and CI gates.
 */
export interface Violation {
  policy: string;
  level: EnforcementLevel;
  message: string;
  subject?: string;
  urn?: string;
}

export async function evaluate(resources: StackResource[], config: PolicyPackConfig = {}): Promise<Violation[]> {
  const out: Violation[] = [];
  const all = config.all;
  for (const p of policies) {
    const own = config[p.name];
    const ownObj = typeof own === "object" ? own : {};
    const allLevel = typeof all === "string" ? all : (all as { enforcementLevel?: EnforcementLevel } | undefined)?.enforcementLevel;
    const level = (typeof own === "string" ? own : ownObj.enforcementLevel) ?? allLevel ?? p.enforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    const defaults = Object.fromEntries(Object.entries(p.configSchema?.properties ?? {}).flatMap(([k, v]) => ("default" in v ? [[k, v.default]] : [])));
    const args = {
      resources,
      stackTags: new Map(),
      getConfig: () => ({ ...defaults, ...(typeof all === "object" ? all : {}), ...ownObj }),
      notApplicable: () => {
        throw new Error("not applicable");
      },
    } as unknown as StackValidationArgs;
    await p.validateStack(args, (message: string, urn?: string) => {
      out.push({ policy: p.name, level, message, subject: message.split(": ")[0], urn });
    });
  }
  return out;
}

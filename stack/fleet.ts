import { MailDnsError } from "../lib/errors";
import { loadDomainsFile } from "./domains-file";

/**
 * Many domains as many stacks: one domains file (`maildns:domainsFile`) whose
 * entries carry a `group`; one stack per group (its `maildns:domainsGroup`),
 * run with bounded parallelism through the Pulumi Automation API. A smaller
 * blast radius per update, stacks that update in parallel (here, or one per
 * runner in a CI matrix), and no file-backend checkpoint that grows with the
 * whole fleet.
 */
export interface FleetOptions {
  /** The Pulumi project directory (holds Pulumi.yaml and the maildns program). */
  workDir: string;
  /** The domains file, relative to workDir or absolute. */
  domainsFile: string;
  /** Stack name of a group: `${prefix}${group}` (default prefix "fleet-"). */
  stackPrefix?: string;
  /** Stacks updated at once (default 2). */
  parallel?: number;
  /** Only these groups (default: every group of the file). */
  groups?: string[];
  /** Called with each stack's progress lines. */
  onOutput?: (stack: string, line: string) => void;
}

export interface FleetResult {
  stack: string;
  group: string;
  ok: boolean;
  seconds: number;
  summary?: Record<string, number>;
  error?: string;
}

/** The groups of a domains file, in first-seen order; every domain must have one. */
export function fleetGroups(workDir: string, domainsFile: string): string[] {
  const { domains } = loadDomainsFile(domainsFile, workDir, "--domains-file");
  if (!Array.isArray(domains)) throw new MailDnsError("invalid-config", "the domains file's \"domains\" is a list", { field: "--domains-file", value: domainsFile });
  const groups: string[] = [];
  (domains as ({ group?: unknown } | null)[]).forEach((d, i) => {
    if (typeof d?.group !== "string" || !/^[A-Za-z0-9_.-]+$/.test(d.group)) {
      throw new MailDnsError("invalid-config", "each domain of a fleet has a group (letters, digits, _ . -): the stack it belongs to", { field: `${domainsFile}: domains[${i}].group`, value: d?.group });
    }
    if (!groups.includes(d.group)) groups.push(d.group);
  });
  return groups;
}

/**
 * Why a stack's run failed, from the Automation API's error (the command's
 * whole output): the engine's `error:` lines, which hold the program's own
 * error (a configuration mistake names its key), without the closing "update
 * failed"; the output's last lines if it has none.
 */
export function failureReason(message: string): string {
  const errors = message.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("error: ") && !/^error: (update|preview) failed$/.test(l));
  return errors.length ? [...new Set(errors)].join("\n") : message.trim().split("\n").slice(-6).join("\n");
}

/** `pulumi up` (or preview) of every group's stack, at most `parallel` at once. */
export async function runFleet(op: "up" | "preview", opts: FleetOptions): Promise<FleetResult[]> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const all = fleetGroups(opts.workDir, opts.domainsFile);
  const groups = opts.groups ?? all;
  for (const g of groups) if (!all.includes(g)) throw new MailDnsError("invalid-config", `no domain of ${opts.domainsFile} has this group; groups are ${all.join(", ")}`, { field: "--group", value: g });
  const parallel = opts.parallel ?? 2;
  if (!Number.isInteger(parallel) || parallel < 1) throw new MailDnsError("invalid-config", "parallel is a whole number of stacks, 1 or more", { field: "--parallel", value: opts.parallel });
  const results: FleetResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++] as string;
      const stackName = `${opts.stackPrefix ?? "fleet-"}${group}`;
      const started = Date.now();
      try {
        const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: opts.workDir });
        await stack.setAllConfig({ "maildns:domainsFile": { value: opts.domainsFile }, "maildns:domainsGroup": { value: group } });
        const onOutput = (line: string) => opts.onOutput?.(stackName, line);
        if (op === "up") {
          const r = await stack.up({ onOutput });
          results.push({ stack: stackName, group, ok: true, seconds: (Date.now() - started) / 1000, summary: r.summary.resourceChanges as Record<string, number> });
        } else {
          const r = await stack.preview({ onOutput });
          results.push({ stack: stackName, group, ok: true, seconds: (Date.now() - started) / 1000, summary: r.changeSummary as Record<string, number> });
        }
      } catch (e) {
        results.push({ stack: stackName, group, ok: false, seconds: (Date.now() - started) / 1000, error: failureReason((e as Error).message) });
      }
    }
  };
  // Selecting each group's stack is how the Automation API finds it; the stack the
  // user had selected is selected again afterwards, so a later `pulumi up` runs where it did before.
  const workspace = await LocalWorkspace.create({ workDir: opts.workDir });
  const selected = (await workspace.stack())?.name;
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, groups.length) }, worker));
  } finally {
    if (selected !== undefined) await workspace.selectStack(selected);
  }
  return results.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
}

import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parse } from "yaml";
import { MailDnsError } from "../lib/errors";

/**
 * `maildns:domainsFile`: the domains (and optionally the defaults) of a stack
 * in a YAML or JSON file of their own, `{ defaults?: ..., domains: [...] }`.
 * For fleets: the engine hands stack config to the program in one
 * environment variable, which Linux limits to 128 KiB (about 600 domains),
 * and one file can feed several stacks (each picks its group).
 */
export interface DomainsFile {
  defaults?: unknown;
  domains: unknown;
  /** When a group is picked: the position in the file of each picked domain, which errors name. */
  positions?: number[];
}

/** Read and parse a domains file; `field` names the setting or option that gave it. */
export function loadDomainsFile(file: string, root: string, field = "maildns:domainsFile"): DomainsFile {
  const path = isAbsolute(file) ? file : resolve(root, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new MailDnsError("invalid-config", `cannot read the domains file: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`, { field, value: file });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new MailDnsError("invalid-config", `the domains file is not YAML or JSON: ${(e as Error).message.split("\n")[0]}`, { field, value: file });
  }
  if (!isObject(data) || !("domains" in data)) {
    throw new MailDnsError("invalid-config", "the domains file holds an object with a \"domains\" list (and optionally \"defaults\")", { field, value: file });
  }
  return data as unknown as DomainsFile;
}

export function readDomainsFile(file: string, root: string, group?: string): DomainsFile {
  const out = loadDomainsFile(file, root);
  if (!Array.isArray(out.domains)) return out;
  // `group` says which stack of a fleet a domain belongs to (maildns fleet); maildns:domainsGroup picks one.
  const entries = out.domains as unknown[];
  const withoutGroup = (d: unknown) => (isObject(d) ? Object.fromEntries(Object.entries(d).filter(([k]) => k !== "group")) : d);
  if (group === undefined) return { ...out, domains: entries.map(withoutGroup) };
  const positions = entries.flatMap((d, i) => (isObject(d) && d.group === group ? [i] : []));
  if (positions.length === 0) throw new MailDnsError("invalid-config", `no domain of the domains file has group ${JSON.stringify(group)}`, { field: "maildns:domainsGroup", value: group });
  return { ...out, domains: positions.map((i) => withoutGroup(entries[i])), positions };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

import * as fs from "node:fs";
import * as path from "node:path";
import type { ProviderImplementation } from "./dynamic";
import { nextSerial, parseZone, renderChecked, sameRRset, ZoneModel, ZoneRRset } from "./zonefile-format";

/**
 * Dynamic providers of the zone-file backend, run by the engine through the
 * delegates of zones/dynamic.ts. `zoneFileProvider` owns a file and its
 * SOA/NS/includes; `zoneRecordSetProvider` owns one RRset inside it. Every
 * change takes a lock, re-reads the file, refuses a file edited by hand or
 * owned by another stack, bumps the SOA serial, checks the new text by reading
 * it back, and replaces the file atomically (fsynced temporary file + rename).
 */
export interface ZoneFileInputs {
  /** The Pulumi project's directory; `path` is relative to it. Not diffed, so a moved checkout replaces nothing. */
  root: string;
  path: string;
  origin: string;
  header: ZoneRRset[];
  /** "<project>/<stack>": a file owned by another stack is never taken over. */
  owner?: string;
  /** Hand-written record files, pulled in with $INCLUDE. */
  includes?: string[];
}

export interface RecordSetInputs {
  root: string;
  path: string;
  origin: string;
  rrset: ZoneRRset;
}

type Edit<T> = (m: ZoneModel | undefined) => { model?: ZoneModel | null; result: T };

const LOCK_WAIT_MS = 30_000;

function describeFsError(e: unknown, what: string): Error {
  const code = (e as { code?: string }).code;
  if (code === "EACCES" || code === "EPERM") return new Error(`permission denied: cannot ${what} (check the owner and mode of the folder and file)`);
  if (code === "EROFS") return new Error(`read-only file system: cannot ${what}`);
  if (code === "ENOSPC") return new Error(`no space left on the device: cannot ${what}`);
  return new Error(`cannot ${what}: ${(e as Error).message}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/** Take the file's lock; a lock left by a process that no longer runs (a killed update) is taken over. */
async function lock(file: string): Promise<() => void> {
  const lockFile = `${file}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw describeFsError(e, `create the lock ${lockFile}`);
    }
    const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
    if (!Number.isInteger(holder) || holder <= 0 || !pidAlive(holder)) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`${file} is locked by process ${holder}, which still runs (another pulumi up?); waited ${LOCK_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readModel(file: string, where: string): ZoneModel | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw describeFsError(e, `read ${file}`);
  }
  const parsed = parseZone(text);
  if (parsed.kind === "foreign") throw new Error(`${where} exists and was not written by maildns; refusing to overwrite it (move it away, or list it in the zone's includes)`);
  if (parsed.kind === "edited") {
    throw new Error(
      `${where} was edited by hand since maildns wrote it; refusing to overwrite the edits. ` +
        "Move hand-written records into a file listed in the zone's `includes` (pulled in with $INCLUDE, never touched by maildns) " +
        "or into the stack config, then restore the file from your backup or delete it and run `pulumi up --refresh` to write it anew.",
    );
  }
  return parsed.model;
}

/** Write `text` to `file` atomically: a temporary file, fsynced, renamed over; no temporary file is left behind. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, "w", 0o644);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw describeFsError(e, `write ${file}`);
  }
}

async function withZone<T>(where: { root: string; path: string }, edit: Edit<T>): Promise<T> {
  const file = path.resolve(where.root, where.path);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (e) {
    throw describeFsError(e, `create the folder ${path.dirname(file)}`);
  }
  const release = await lock(file);
  try {
    const current = readModel(file, where.path);
    const { model, result } = edit(current);
    if (model === null) {
      fs.rmSync(file, { force: true });
    } else if (model) {
      const next = { ...model, serial: nextSerial(current?.serial ?? 0, new Date()) };
      writeAtomic(file, renderChecked(next));
    }
    return result;
  } finally {
    release();
  }
}

const check = async <T>(_olds: T, news: T) => ({ inputs: news });

export const zoneFileProvider: ProviderImplementation = {
  check,
  async create(inputs: ZoneFileInputs) {
    await withZone(inputs, (m) => {
      // A file this stack began to write in an update that was killed is taken over; another stack's never.
      if (m && m.owner !== inputs.owner) throw new Error(`${inputs.path} already exists and belongs to ${m.owner ?? "another stack"}; refusing to overwrite it`);
      return { model: { origin: inputs.origin, owner: inputs.owner, header: inputs.header, includes: inputs.includes, rrsets: m?.rrsets ?? [], serial: 0 }, result: undefined };
    });
    return { id: inputs.path, outs: inputs };
  },
  async diff(_id: string, olds: ZoneFileInputs, news: ZoneFileInputs) {
    const replaces = (["path", "origin"] as const).filter((k) => olds[k] !== news[k]);
    const headerChanged = olds.header.length !== news.header.length || olds.header.some((h, i) => !sameRRset(h, news.header[i] as ZoneRRset));
    const changed = headerChanged || JSON.stringify([olds.includes ?? [], olds.owner]) !== JSON.stringify([news.includes ?? [], news.owner]);
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: ZoneFileInputs, news: ZoneFileInputs) {
    await withZone(news, (m) => {
      if (!m) throw new Error(`${news.path} is missing; run pulumi up --refresh to write it anew`);
      return { model: { ...m, owner: news.owner, header: news.header, includes: news.includes }, result: undefined };
    });
    return { outs: news };
  },
  async read(id: string, props: ZoneFileInputs) {
    const m = readModel(path.resolve(props.root, props.path), props.path);
    if (!m) return { id: "", props: {} } as never;
    return { id, props: { ...props, header: m.header, includes: m.includes } };
  },
  async delete(_id: string, props: ZoneFileInputs) {
    await withZone(props, () => ({ model: null, result: undefined }));
  },
};

const same = (a: ZoneRRset, b: ZoneRRset) => a.owner === b.owner && a.type === b.type;

export const zoneRecordSetProvider: ProviderImplementation = {
  check,
  async create(inputs: RecordSetInputs) {
    await withZone(inputs, (m) => {
      if (!m) throw new Error(`${inputs.path} does not exist; the zone resource creates it`);
      const existing = m.rrsets.find((r) => same(r, inputs.rrset));
      // Identical content is what an update killed after writing left behind: take it over.
      if (existing && !sameRRset(existing, inputs.rrset)) {
        throw new Error(`${inputs.rrset.owner} ${inputs.rrset.type} already exists in ${inputs.path} with other values and belongs to another resource; refusing to overwrite it`);
      }
      return { model: existing ? undefined : { ...m, rrsets: [...m.rrsets, inputs.rrset] }, result: undefined };
    });
    return { id: `${inputs.origin}/${inputs.rrset.owner}/${inputs.rrset.type}`, outs: inputs };
  },
  async diff(_id: string, olds: RecordSetInputs, news: RecordSetInputs) {
    const replaces: string[] = [];
    if (olds.path !== news.path || olds.origin !== news.origin) replaces.push("path");
    if (!same(olds.rrset, news.rrset)) replaces.push("rrset");
    const changes = replaces.length > 0 || !sameRRset(olds.rrset, news.rrset);
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: RecordSetInputs, news: RecordSetInputs) {
    await withZone(news, (m) => {
      if (!m) throw new Error(`${news.path} is missing; run pulumi up --refresh to write it anew`);
      const rrsets = m.rrsets.some((r) => same(r, news.rrset)) ? m.rrsets.map((r) => (same(r, news.rrset) ? news.rrset : r)) : [...m.rrsets, news.rrset];
      return { model: { ...m, rrsets }, result: undefined };
    });
    return { outs: news };
  },
  async read(id: string, props: RecordSetInputs) {
    const live = readModel(path.resolve(props.root, props.path), props.path)?.rrsets.find((r) => same(r, props.rrset));
    if (!live) return { id: "", props: {} } as never;
    return { id, props: { ...props, rrset: live } };
  },
  async delete(_id: string, props: RecordSetInputs) {
    await withZone(props, (m) => (m ? { model: { ...m, rrsets: m.rrsets.filter((r) => !same(r, props.rrset)) }, result: undefined } : { result: undefined }));
  },
};

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveGeneratedKey } from "../lib/dkim";
import { presentTxt } from "../lib/txt";
import type { ProviderImplementation } from "./dynamic";
import { headerOf } from "./zone-header";
import { HeldKeys, holdKeys, isSelectorRecord, keptKeys, keyChanges, KeySpecs, NO_KEYS } from "./held-keys";

export type { HeldKeys, KeySpecs } from "./held-keys";
import { nextSerial, parseZone, renderChecked, sameRRset, ZoneModel, ZoneRRset } from "./zonefile-format";

/**
 * Dynamic providers of the zone-file backend, run by the engine through the
 * delegates of zones/dynamic.ts. `zoneFileProvider` owns a file and its
 * SOA/NS/includes; `zoneRecordsProvider` owns a group of RRsets inside it (a
 * mail domain's records in that zone), `zoneRecordSetProvider` one RRset
 * (the layout before 0.2, still read for existing stacks). Every
 * change takes a lock, re-reads the file, refuses a file edited by hand or
 * owned by another stack, bumps the SOA serial, checks the new text by reading
 * it back, and replaces the file atomically (fsynced temporary file + rename).
 */
export interface ZoneFileInputs {
  /** The Pulumi project's directory; `path` is relative to it. Not diffed, so a moved checkout replaces nothing. */
  root: string;
  path: string;
  origin: string;
  /** SOA, NS and glue; absent for the default header of the origin (zone-header.ts `storedHeader`). */
  header?: ZoneRRset[];
  /** "<project>/<stack>": a file owned by another stack is never taken over. */
  owner?: string;
  /** Hand-written record files, pulled in with $INCLUDE. */
  includes?: string[];
  /** The first caller's record sets (a mail domain's), written by the zone resource itself. */
  rrsets?: RRsetMap;
  /** DKIM keys this resource generates and keeps for its record sets (see KeySpecs). */
  keys?: KeySpecs;
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

/**
 * In a diff that will change the file: the error its update would meet if the
 * file was edited by hand or is not maildns's, so that `pulumi preview` (and the
 * preview of `pulumi up`) stops before any zone of the stack is written, rather
 * than the update stopping halfway through the stack's zones.
 */
function refuseEditedFile(where: { root?: string; path?: string }): void {
  if (where.root !== undefined && where.path !== undefined) readModel(path.resolve(where.root, where.path), where.path);
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

/**
 * A short digest of JSON-able content, object keys in sorted order: the
 * engine hands inputs back with their keys sorted, a zone file parses to
 * another order, and both must give the same digest.
 */
export function digestOf(v: unknown): string {
  return createHash("sha256").update(JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x))).digest("hex").slice(0, 16);
}

/**
 * What a zone resource keeps in its outputs: where the file is, a digest of
 * its header, and a digest of each record set it wrote (what update, refresh
 * and delete need). The record sets themselves are inputs only: a copy in the
 * outputs would double what the file backend rewrites at every checkpoint.
 * The policy pack reads them from the inputs (policies/policies.ts).
 */
export interface ZoneFileOutputs {
  root: string;
  path: string;
  origin: string;
  owner?: string;
  digest: string;
  /** Record sets the zone resource writes itself (its first caller's), "<owner> <type>" → digest. */
  digests?: Record<string, string>;
  /** The DKIM keys it generated (HeldKeys); absent in state written before keys moved into zone resources. */
  publicKeys?: Record<string, string>;
  privateKeys?: Record<string, string>;
}

const headerDigest = (header: ZoneRRset[], z: { includes?: string[]; owner?: string }) => digestOf([header, z.includes ?? [], z.owner ?? null]);
const zoneFileOuts = (i: ZoneFileInputs, keys: HeldKeys | undefined): ZoneFileOutputs => ({
  root: i.root, path: i.path, origin: i.origin, ...(i.owner ? { owner: i.owner } : {}), digest: headerDigest(headerOf(i), i), ...(i.rrsets ? { digests: rrsetDigests(i.rrsets) } : {}), ...keys,
});

export const zoneFileProvider: ProviderImplementation = {
  check,
  async create(inputs: ZoneFileInputs) {
    const id = inputs.path;
    const keys = await holdKeys(inputs.keys, NO_KEYS, inputs.path, () => false);
    const written = withKeyRecords(inputs, keys?.publicKeys);
    await withZone(inputs, (m) => {
      // A file this stack began to write in an update that was killed is taken over; another stack's never.
      if (m && m.owner !== inputs.owner) throw new Error(`${inputs.path} already exists and belongs to ${m.owner ?? "another stack"}; refusing to overwrite it`);
      const model: ZoneModel = { origin: inputs.origin, owner: inputs.owner, header: headerOf(inputs), includes: inputs.includes, rrsets: m?.rrsets ?? [], serial: 0 };
      return { model: written.rrsets ? applyRecords(model, inputs.path, written.rrsets, id, new Set()) : model, result: undefined };
    });
    return { id, outs: zoneFileOuts(written, keys) };
  },
  async diff(_id: string, olds: ZoneFileOutputs & Partial<ZoneFileInputs>, news: ZoneFileInputs) {
    const replaces = (["path", "origin"] as const).filter((k) => olds[k] !== news[k]);
    // State written before 0.2 kept the inputs themselves.
    const old = olds.digest ?? headerDigest(olds.header ?? [], olds);
    const keys = keyChanges(news.keys, olds, news.path, publishedIn(olds.digests));
    const records = !sameDigests(olds.digests ?? {}, news.rrsets ? rrsetDigests(withKeyRecords(news, keys.kept).rrsets as RRsetMap) : {});
    const changes = replaces.length > 0 || old !== headerDigest(headerOf(news), news) || records || keys.changed;
    if (changes) refuseEditedFile(olds);
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(id: string, olds: ZoneFileOutputs, news: ZoneFileInputs) {
    const keys = await holdKeys(news.keys, olds, news.path, publishedIn(olds.digests));
    const written = withKeyRecords(news, keys?.publicKeys);
    await withZone(news, (m) => {
      if (!m) throw new Error(`${news.path} is missing; run pulumi up --refresh to write it anew`);
      const model = { ...m, owner: news.owner, header: headerOf(news), includes: news.includes };
      return { model: applyRecords(model, news.path, written.rrsets ?? {}, id, new Set(Object.keys(olds.digests ?? {}))), result: undefined };
    });
    return { outs: zoneFileOuts(written, keys) };
  },
  async read(id: string, props: ZoneFileOutputs) {
    const m = readModel(path.resolve(props.root, props.path), props.path);
    if (!m) return { id: "", props: {} } as never;
    return { id, props: { root: props.root, path: props.path, origin: props.origin, ...(m.owner ? { owner: m.owner } : {}), digest: headerDigest(m.header, m), ...(props.digests ? { digests: liveDigests(m, props.digests) } : {}), ...keptKeys(props) } };
  },
  async delete(_id: string, props: ZoneFileOutputs) {
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
    // A record set taken over by a resource of the 0.2 layout (it carries that resource's id) stays.
    await withZone(props, (m) => (m ? { model: { ...m, rrsets: m.rrsets.filter((r) => !(same(r, props.rrset) && r.by === undefined)) }, result: undefined } : { result: undefined }));
  },
};

/** A group of RRsets in one zone, keyed "<owner> <type>" (owner relative to the origin, "@" for the apex). */
export type RRsetMap = Record<string, { ttl: number; rdata: string[] }>;

export interface ZoneRecordsInputs {
  root: string;
  path: string;
  origin: string;
  rrsets: RRsetMap;
  /** DKIM keys this resource generates and keeps for its record sets (see KeySpecs). */
  keys?: KeySpecs;
}

/** Outputs: where, and a digest per RRset it wrote (the RRsets themselves are inputs only, as in ZoneFileOutputs); the keys it holds. */
export interface ZoneRecordsOutputs extends Partial<HeldKeys> {
  root: string;
  path: string;
  origin: string;
  digests: Record<string, string>;
}

function toRRset(key: string, v: { ttl: number; rdata: string[] }): ZoneRRset {
  const i = key.lastIndexOf(" ");
  return { owner: key.slice(0, i), type: key.slice(i + 1), ttl: v.ttl, rdata: v.rdata };
}
const keyOf = (r: ZoneRRset) => `${r.owner} ${r.type}`;
const rrsetDigest = (r: ZoneRRset) => digestOf([r.ttl, Array.isArray(r.rdata) ? [...r.rdata].sort() : [String(r.rdata)]]);
/** The digests of the record sets named by `owned`'s keys as the file holds them now; gone ones are left out. */
function liveDigests(m: ZoneModel, owned: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(m.rrsets.filter((r) => keyOf(r) in owned).map((r) => [keyOf(r), rrsetDigest(r)]));
}

/** The same keys with the same digests, in whatever order. */
function sameDigests(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

function rrsetDigests(rrsets: RRsetMap): Record<string, string> {
  // During preview a value not known yet is the engine's unknown marker: it differs from every digest.
  if (rrsets === null || typeof rrsets !== "object") return { "(not known yet)": "" };
  return Object.fromEntries(Object.entries(rrsets).map(([k, v]) => [k, rrsetDigest(toRRset(k, v))]));
}
const recordsOuts = (i: ZoneRecordsInputs, keys: HeldKeys | undefined): ZoneRecordsOutputs => ({ root: i.root, path: i.path, origin: i.origin, digests: rrsetDigests(i.rrsets), ...keys });

/**
 * Writes `wanted` into the model as resource `id`'s. A record set it did not
 * write before must be absent, or identical (left by a killed update, or by
 * a resource of another layout whose own delete will then leave it alone).
 * Record sets it wrote and no longer wants are removed.
 */
function applyRecords(m: ZoneModel, file: string, wanted: RRsetMap, id: string, before: Set<string>): ZoneModel {
  const next = new Map(m.rrsets.map((r) => [keyOf(r), r] as const));
  const mine = (r: ZoneRRset | undefined) => r !== undefined && (r.by === id || (before.has(keyOf(r)) && r.by === undefined));
  const conflicts: string[] = [];
  for (const [k, v] of Object.entries(wanted)) {
    const want = { ...toRRset(k, v), by: id };
    const existing = next.get(k);
    if (existing && !mine(existing) && !sameRRset(existing, want)) conflicts.push(k);
    next.set(k, want);
  }
  if (conflicts.length) throw new Error(`${conflicts.join(", ")} already exist in ${file} with other values and belong to another resource; refusing to overwrite them`);
  for (const k of before) if (!(k in wanted) && mine(next.get(k))) next.delete(k);
  return { ...m, rrsets: [...next.values()] };
}

export const zoneRecordsProvider: ProviderImplementation = {
  check,
  async create(inputs: ZoneRecordsInputs) {
    const id = `${inputs.origin}/${digestOf([Object.keys(inputs.rrsets).sort(), Date.now(), process.pid])}`;
    const keys = await holdKeys(inputs.keys, NO_KEYS, inputs.path, () => false);
    const written = withKeyRecords(inputs, keys?.publicKeys);
    await withZone(inputs, (m) => {
      if (!m) throw new Error(`${inputs.path} does not exist; the zone resource creates it`);
      return { model: applyRecords(m, inputs.path, written.rrsets, id, new Set()), result: undefined };
    });
    return { id, outs: recordsOuts(written, keys) };
  },
  async diff(_id: string, olds: ZoneRecordsOutputs, news: ZoneRecordsInputs) {
    const replaces = olds.path !== news.path || olds.origin !== news.origin ? ["path"] : [];
    const keys = keyChanges(news.keys, olds, news.path, publishedIn(olds.digests));
    const changes = replaces.length > 0 || !sameDigests(olds.digests ?? {}, rrsetDigests(withKeyRecords(news, keys.kept).rrsets)) || keys.changed;
    if (changes) refuseEditedFile(olds);
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(id: string, olds: ZoneRecordsOutputs, news: ZoneRecordsInputs) {
    const keys = await holdKeys(news.keys, olds, news.path, publishedIn(olds.digests));
    const written = withKeyRecords(news, keys?.publicKeys);
    await withZone(news, (m) => {
      if (!m) throw new Error(`${news.path} is missing; run pulumi up --refresh to write it anew`);
      return { model: applyRecords(m, news.path, written.rrsets, id, new Set(Object.keys(olds.digests ?? {}))), result: undefined };
    });
    return { outs: recordsOuts(written, keys) };
  },
  async read(id: string, props: ZoneRecordsOutputs) {
    const m = readModel(path.resolve(props.root, props.path), props.path);
    if (!m) return { id: "", props: {} } as never;
    const digests = liveDigests(m, props.digests ?? {});
    if (Object.keys(digests).length === 0) return { id: "", props: {} } as never;
    return { id, props: { root: props.root, path: props.path, origin: props.origin, digests, ...keptKeys(props) } };
  },
  async delete(id: string, props: ZoneRecordsOutputs) {
    const owned = new Set(Object.keys(props.digests ?? {}));
    // Only what this resource wrote: a record set another resource has taken over stays.
    const gone = (r: ZoneRRset) => owned.has(keyOf(r)) && (r.by === id || r.by === undefined);
    await withZone(props, (m) => (m ? { model: { ...m, rrsets: m.rrsets.filter((r) => !gone(r)) }, result: undefined } : { result: undefined }));
  },
};

/** Whether a selector's DKIM record is among the record sets a resource wrote (its digests, "<owner> <type>"). */
const publishedIn = (digests: Record<string, string> | undefined) => (sel: string) =>
  Object.keys(digests ?? {}).some((k) => k.endsWith(" TXT") && isSelectorRecord(sel, k.slice(0, -4)));

/** The inputs with each generated-key marker replaced by its key's DKIM record; a marker without a key is left (during diff: a key still to make). */
function withKeyRecords<T extends { rrsets?: RRsetMap }>(inputs: T, publicKeys: Record<string, string> = {}): T {
  if (!inputs.rrsets || typeof inputs.rrsets !== "object") return inputs;
  const rrsets: RRsetMap = {};
  for (const [k, v] of Object.entries(inputs.rrsets)) {
    const rdata = Array.isArray(v?.rdata) ? v.rdata.map((x) => resolveGeneratedKey(x, publicKeys, presentTxt) ?? x) : v?.rdata;
    rrsets[k] = { ...v, rdata } as RRsetMap[string];
  }
  return { ...inputs, rrsets };
}

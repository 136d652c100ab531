import { createHash } from "node:crypto";
import { MailDnsError } from "../lib/errors";
import { MasterRecord, parseMasterFile } from "../lib/master-file";
import { relativeName } from "../lib/names";
import { parseTxtBytes } from "../lib/txt";

/**
 * The zone files maildns owns (RFC 1035 §5 master-file format). A file is
 * maildns's whole: its first lines say so and carry the SHA-256 of the rest,
 * so an edit by hand is detected and refused, never silently overwritten.
 * Hand-written records belong in files the zone lists in `includes`, which
 * the file pulls in with `$INCLUDE` and maildns never touches.
 */
export interface ZoneRRset {
  /** Owner relative to $ORIGIN ("@" for the apex). */
  owner: string;
  type: string;
  ttl: number;
  /** RDATA in presentation form (tokens separated by one space), one entry per record. */
  rdata: string[];
  /** The id of the resource that wrote it (kept in the file's "; owners" line); absent in files of 0.1. */
  by?: string;
}

export interface ZoneModel {
  origin: string;
  /** The Pulumi project/stack that owns the file. */
  owner?: string;
  /** The zone's own records (SOA with serial 0, NS, glue), owned by the zone resource. */
  header: ZoneRRset[];
  /** Record sets owned by record-set resources, in file order. */
  rrsets: ZoneRRset[];
  /** Files pulled in with $INCLUDE (hand-written records). */
  includes?: string[];
  serial: number;
}

export const MARKER = "; maildns zone file";
const SECTION = "; -- records --";
const INCLUDES = "; -- included files (never written by maildns) --";
/** The resource that wrote each record set, "<owner> <type>" → resource id: one comment line, under the digest. */
const OWNERS = "; owners ";

export type ParsedZone =
  | { kind: "maildns"; model: ZoneModel }
  /** A maildns file whose content no longer matches its digest. */
  | { kind: "edited"; origin: string }
  /** Any other file. */
  | { kind: "foreign" };

function digest(body: string): string {
  return createHash("sha256").update(body).digest("hex");
}

export function renderZone(model: ZoneModel): string {
  const lines = [`$ORIGIN ${model.origin}.`];
  const emit = (s: ZoneRRset) => {
    for (const r of s.rdata) {
      const rd = s.type === "SOA" ? r.replace(/^(\S+\s+\S+\s+)\d+/, `$1${model.serial}`) : r;
      lines.push(`${s.owner}\t${s.ttl}\tIN\t${s.type}\t${rd}`);
    }
  };
  model.header.forEach(emit);
  lines.push(SECTION);
  const owners = Object.fromEntries(model.rrsets.filter((r) => r.by !== undefined).map((r) => [`${r.owner} ${r.type}`, r.by]));
  if (Object.keys(owners).length) lines.push(`${OWNERS}${JSON.stringify(owners)}`);
  model.rrsets.forEach(emit);
  if (model.includes?.length) {
    lines.push(INCLUDES);
    for (const f of model.includes) lines.push(`$INCLUDE "${f}"`);
  }
  const body = `${lines.join("\n")}\n`;
  return [
    `${MARKER} for ${model.origin}, owned by ${model.owner ?? "maildns"}.`,
    "; maildns refuses to write over edits made here: keep hand-written records in a file listed in the zone's `includes`.",
    `; sha256 ${digest(body)}`,
    body,
  ].join("\n");
}

/** Read a file: a maildns file (checked against its digest), an edited one, or a foreign one. */
export function parseZone(text: string): ParsedZone {
  if (!text.startsWith(MARKER)) return { kind: "foreign" };
  const [first = "", , third = ""] = text.split("\n", 3);
  // maildns 0.1 wrote no digest: its files are read as they are and get one on the next write.
  const legacy = /^; maildns zone file for (\S+); edits by hand are overwritten$/.exec(first);
  const head = legacy ?? /^; maildns zone file for (\S+), owned by (\S+)\.$/.exec(first);
  const sum = /^; sha256 ([0-9a-f]{64})$/.exec(third);
  const body = legacy ? text.slice(text.indexOf("\n") + 1) : text.slice(text.indexOf("\n", text.indexOf("\n", text.indexOf("\n") + 1) + 1) + 1);
  if (!head || (!legacy && (!sum || digest(body) !== sum[1]))) return { kind: "edited", origin: head?.[1] ?? "" };
  const origin = head[1] as string;
  const cut = body.indexOf(`\n${SECTION}\n`);
  if (cut < 0) return { kind: "edited", origin };
  const header = parseMasterFile(body.slice(0, cut + 1));
  const rest = parseMasterFile(body.slice(cut + 1), { origin });
  let serial = 0;
  const toSets = (records: MasterRecord[]): ZoneRRset[] => {
    const sets: ZoneRRset[] = [];
    for (const r of records) {
      let rdata = r.rdata;
      if (r.type === "SOA") {
        serial = Number(rdata.split(" ")[2]);
        rdata = rdata.replace(/^(\S+ \S+ )\d+/, "$10");
      }
      const owner = relativeName(r.owner, origin);
      const last = sets[sets.length - 1];
      if (last && last.owner === owner && last.type === r.type) last.rdata.push(rdata);
      else sets.push({ owner, type: r.type, ttl: r.ttl, rdata: [rdata] });
    }
    return sets;
  };
  const model: ZoneModel = { origin, owner: legacy ? undefined : head[2], header: toSets(header.records), rrsets: toSets(rest.records), serial };
  const ownersLine = body.slice(cut + 1).split("\n").find((l) => l.startsWith(OWNERS));
  if (ownersLine) {
    let owners: Record<string, unknown>;
    try {
      owners = JSON.parse(ownersLine.slice(OWNERS.length)) as Record<string, unknown>;
    } catch {
      return { kind: "edited", origin };
    }
    for (const r of model.rrsets) {
      const by = owners[`${r.owner} ${r.type}`];
      if (typeof by === "string") r.by = by;
    }
  }
  if (rest.includes.length) model.includes = rest.includes.map((i) => i.file);
  return { kind: "maildns", model };
}

/**
 * Render a model and prove the text is sound before anyone writes it: read
 * back with the master-file parser it must equal the model; TXT strings are
 * at most 255 octets (RFC 1035 §3.3); a CNAME owns its name alone (RFC 1034
 * §3.6.2). Throws MailDnsError("invalid-zone-file").
 */
export function renderChecked(model: ZoneModel): string {
  const text = renderZone(model);
  const bad = (why: string, value?: string): never => {
    throw new MailDnsError("invalid-zone-file", `refusing to write zone ${model.origin}: ${why}`, { domain: model.origin, value });
  };
  let back: ParsedZone;
  try {
    back = parseZone(text);
  } catch (e) {
    return bad(`the rendered file does not parse (${(e as Error).message})`);
  }
  if (back.kind !== "maildns") return bad("the rendered file does not read back as a maildns file");
  if (JSON.stringify(normalise(model)) !== JSON.stringify(normalise(back.model))) bad("the rendered file reads back different from what was meant to be written");
  const all = [...model.header, ...model.rrsets];
  const byOwner = new Map<string, Set<string>>();
  for (const s of all) {
    byOwner.set(s.owner, (byOwner.get(s.owner) ?? new Set()).add(s.type));
    if (s.type === "TXT") {
      for (const r of s.rdata) {
        if (parseTxtBytes(r).some((b) => b.length > 255)) bad(`${s.owner} TXT has a character-string over 255 octets (RFC 1035 §3.3)`, r.slice(0, 60));
      }
    }
  }
  for (const [owner, types] of byOwner) {
    if (types.has("CNAME") && types.size > 1) bad(`${owner} has a CNAME and other data (RFC 1034 §3.6.2)`, owner);
  }
  return text;
}

/** A model in one key order (inputs that went through the engine come back with their keys sorted). */
function normalise(m: ZoneModel) {
  const sets = (l: ZoneRRset[]) => l.map((s) => ({ owner: s.owner, type: s.type, ttl: s.ttl, rdata: s.rdata, by: s.by ?? null }));
  return { origin: m.origin, owner: m.owner, header: sets(m.header), rrsets: sets(m.rrsets), includes: m.includes ?? [], serial: m.serial };
}

/** True when two record sets are the same (owner, type, TTL and values in order). */
export function sameRRset(a: ZoneRRset, b: ZoneRRset): boolean {
  return a.owner === b.owner && a.type === b.type && a.ttl === b.ttl && JSON.stringify(a.rdata) === JSON.stringify(b.rdata);
}

/** The next SOA serial: always greater than the last; YYYYMMDDnn while that is larger. */
export function nextSerial(prev: number, now: Date): number {
  const d = now.toISOString().slice(0, 10).replace(/-/g, "");
  return Math.max(prev + 1, Number(`${d}00`));
}

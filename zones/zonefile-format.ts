/**
 * Reading and writing the zone files maildns owns (RFC 1035 §5 master file
 * format, one record per line). This module has no imports: the zone-file
 * dynamic providers are serialised with it, and run it in the engine.
 */
export interface ZoneRRset {
  /** Owner relative to $ORIGIN ("@" for the apex). */
  owner: string;
  type: string;
  ttl: number;
  /** RDATA in presentation form, one entry per record. */
  rdata: string[];
}

export interface ZoneModel {
  origin: string;
  /** The zone's own records (SOA, NS, glue), owned by the zone resource. */
  header: ZoneRRset[];
  /** Record sets owned by record-set resources, in file order. */
  rrsets: ZoneRRset[];
  serial: number;
}

export const MARKER = "; maildns zone file";
const SECTION = "; -- records --";

/** Parse a file written by renderZone. Returns undefined for any other file. */
export function parseZone(text: string): ZoneModel | undefined {
  if (!text.startsWith(MARKER)) return undefined;
  const model: ZoneModel = { origin: "", header: [], rrsets: [], serial: 0 };
  let section: "header" | "rrsets" = "header";
  for (const line of text.split("\n")) {
    if (line.startsWith("$ORIGIN ")) model.origin = line.slice(8).trim().replace(/\.$/, "");
    if (line === SECTION) section = "rrsets";
    if (line === "" || line.startsWith(";") || line.startsWith("$")) continue;
    const m = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, owner, ttl, type, rdata] = m as unknown as [string, string, string, string, string];
    if (type === "SOA") model.serial = Number(rdata.trim().split(/\s+/)[2]);
    const list = model[section];
    const last = list[list.length - 1];
    if (last && last.owner === owner && last.type === type) last.rdata.push(rdata);
    else list.push({ owner, type, ttl: Number(ttl), rdata: [rdata] });
  }
  return model;
}

export function renderZone(model: ZoneModel): string {
  const lines = [`${MARKER} for ${model.origin}; edits by hand are overwritten`, `$ORIGIN ${model.origin}.`];
  const emit = (s: ZoneRRset) => {
    for (const r of s.rdata) {
      const rd = s.type === "SOA" ? r.replace(/^(\S+\s+\S+\s+)\d+/, `$1${model.serial}`) : r;
      lines.push(`${s.owner}\t${s.ttl}\tIN\t${s.type}\t${rd}`);
    }
  };
  model.header.forEach(emit);
  lines.push(SECTION);
  model.rrsets.forEach(emit);
  return `${lines.join("\n")}\n`;
}

/** The next SOA serial: always greater than the last; YYYYMMDDnn while that is larger. */
export function nextSerial(prev: number, now: Date): number {
  const d = now.toISOString().slice(0, 10).replace(/-/g, "");
  return Math.max(prev + 1, Number(`${d}00`));
}

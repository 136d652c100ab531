/**
 * The normalised record set every zone adapter takes: `name` is an FQDN,
 * lowercase, without the trailing dot; `values` are presentation form with
 * TXT values unsplit (one string each). One RecordSet per name and type.
 */
export interface RecordSet {
  name: string;
  type: RecordType;
  ttl: number;
  values: string[];
}

export type RecordType = "A" | "AAAA" | "MX" | "TXT" | "CNAME" | "PTR" | "NS" | "CAA" | "SRV";

export function recordKey(r: { name: string; type: string }): string {
  return `${r.name} ${r.type}`;
}

/** Sort record sets by name (reversed labels, so a zone reads top-down) and type. */
export function sortRecordSets<T extends { name: string; type: string }>(sets: readonly T[]): T[] {
  const rev = (n: string) => n.split(".").reverse().join(".");
  return [...sets].sort((a, b) => rev(a.name).localeCompare(rev(b.name)) || a.type.localeCompare(b.type));
}

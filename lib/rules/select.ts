import { isDmarcRecord } from "../dmarc";
import { parseMx, MxValue } from "../mx";
import { ptrName } from "../reverse";
import { isSpfRecord } from "../spf/parse";
import { DomainView, ViewRecord } from "../view";

/** Shared selectors over a view, so each rule reads the same records the same way. */
export interface NamedValue {
  name: string;
  value: string;
  record: ViewRecord;
}

export function txtValues(view: DomainView): NamedValue[] {
  return view.records.filter((r) => r.type === "TXT").flatMap((record) => record.values.map((value) => ({ name: record.name, value, record })));
}

export function spfValues(view: DomainView): NamedValue[] {
  return txtValues(view).filter((t) => isSpfRecord(t.value));
}

export function dmarcValues(view: DomainView): NamedValue[] {
  return txtValues(view).filter((t) => t.name.startsWith("_dmarc.") && isDmarcRecord(t.value));
}

export function dkimValues(view: DomainView): NamedValue[] {
  return txtValues(view).filter((t) => /\._domainkey\./.test(t.name) && !isSpfRecord(t.value));
}

export interface NamedMx {
  name: string;
  raw: string;
  mx?: MxValue;
  record: ViewRecord;
}

export function mxValues(view: DomainView): NamedMx[] {
  return view.records
    .filter((r) => r.type === "MX")
    .flatMap((record) => record.values.map((raw) => ({ name: record.name, raw, mx: parseMx(raw), record })));
}

/** Every address of the domain's MX hosts, with its reverse name (in-addr.arpa / ip6.arpa); values that are not addresses left out. */
export function mailHostAddresses(view: DomainView): { host: string; ip: string; rev: string }[] {
  const out: { host: string; ip: string; rev: string }[] = [];
  for (const m of mxValues(view)) {
    const host = m.mx?.exchange;
    if (!host) continue;
    for (const ip of [...view.values(host, "A"), ...view.values(host, "AAAA")]) {
      try {
        out.push({ host, ip, rev: ptrName(ip) });
      } catch {
        // not an address: the address rules report it
      }
    }
  }
  return out;
}

/** Values grouped by name, for rules about "one record per name". */
export function groupByName<T extends { name: string }>(items: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(i.name, [...(m.get(i.name) ?? []), i]);
  return m;
}

/**
 * Values grouped by the answer they are part of: by name, and by Route 53
 * set identifier where there are several (weighted, latency... sets are
 * alternatives, answered one at a time).
 */
export function groupByAnswer<T extends { name: string; record: ViewRecord }>(items: T[]): [string, T[]][] {
  const m = new Map<string, { name: string; items: T[] }>();
  for (const i of items) {
    const k = `${i.name}\u0000${i.record.set ?? ""}`;
    const g = m.get(k) ?? { name: i.name, items: [] };
    g.items.push(i);
    m.set(k, g);
  }
  return [...m.values()].map((g) => [g.name, g.items]);
}

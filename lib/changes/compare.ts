import { parseDkim } from "../dkim";
import { DmarcPolicy, DmarcTags, dmarcName, isDmarcRecord, parseDmarc } from "../dmarc";
import { isAtOrBelow } from "../names";
import { ptrName } from "../reverse";
import { formatTerm, isSpfRecord, Mechanism, ownLookupTerms, parseSpf, SpfRecord } from "../spf";
import type { DomainView } from "../view";
import { ChangeRuleId, getChangeRule } from "./catalogue";

/**
 * What a change does to one mail domain's mail, from the domain view before
 * and after it. Pure: no I/O, the views are built by the caller.
 */
export interface Consequence {
  ruleId: string;
  severity: "error" | "warning" | "info";
  /** "<name> <TYPE>" the consequence is about. */
  subject: string;
  message: string;
  /** What receiving servers do about it. */
  receivers: string;
  rfc?: string;
  /** True when only a state the update passes through has it, not the end state. */
  during?: boolean;
}

export interface DomainFacts {
  /** DNS-querying terms of the SPF record itself (includes add their own), before → after; when SPF changed. */
  spfLookups?: { before?: number; after?: number };
}

const consequence = (id: ChangeRuleId, subject: string, message: string, extra: Partial<Consequence> = {}): Consequence => {
  const rule = getChangeRule(id);
  return { ruleId: id, severity: rule?.severity ?? "warning", subject, message, receivers: rule?.consequence ?? "", rfc: rule?.rfc, ...extra };
};

export function compareDomain(domain: string, before: DomainView, after: DomainView): { consequences: Consequence[]; facts: DomainFacts } {
  const spf = compareSpf(domain, before, after);
  return {
    consequences: [...spf.consequences, ...compareDkim(domain, before, after), ...compareDmarc(domain, before, after), ...compareMx(domain, before, after), ...compareHosts(domain, before, after)],
    facts: spf.facts,
  };
}

function spfOf(view: DomainView, domain: string): SpfRecord | undefined {
  const text = view.values(domain, "TXT").find(isSpfRecord);
  return text === undefined ? undefined : parseSpf(text).record;
}

const authorises = (t: SpfRecord["terms"][number]) => ("qualifier" in t ? t.name !== "all" && t.qualifier === "+" : t.name === "redirect");

function compareSpf(domain: string, before: DomainView, after: DomainView): { consequences: Consequence[]; facts: DomainFacts } {
  const b = spfOf(before, domain);
  const a = spfOf(after, domain);
  const subject = `${domain} TXT`;
  const lookups = (r?: SpfRecord) => (r ? ownLookupTerms(r).length : undefined);
  const changed = (b && formatSpfKey(b)) !== (a && formatSpfKey(a));
  const facts: DomainFacts = changed ? { spfLookups: { before: lookups(b), after: lookups(a) } } : {};
  if (!b) return { consequences: [], facts };
  if (!a) {
    if (after.values(domain, "TXT").length === 0 && after.at(domain, "TXT").some((r) => (r.unknownValues ?? 0) > 0)) return { consequences: [], facts };
    return { consequences: [consequence("spf-record-removed", subject, `the SPF record "${formatSpfKey(b)}" is removed`)], facts };
  }
  const kept = new Set(a.terms.filter(authorises).map((t) => formatTerm(t).toLowerCase()));
  const all = a.terms.find((t): t is Mechanism => "qualifier" in t && t.name === "all");
  const result = a.terms.some((t) => t.name === "redirect") ? "the redirect's result" : all?.qualifier === "-" ? "fail" : all?.qualifier === "~" ? "softfail" : "neutral";
  const severity = result === "fail" ? "error" : "warning";
  const dropped = b.terms.filter(authorises).filter((t) => !kept.has(formatTerm(t).toLowerCase()));
  return {
    consequences: dropped.map((t) =>
      consequence("spf-sender-dropped", subject, `"${formatTerm(t)}" is no longer authorised: mail sent through it gets SPF ${result}`, { severity }),
    ),
    facts,
  };
}

const formatSpfKey = (r: SpfRecord) => ["v=spf1", ...r.terms.map(formatTerm)].join(" ");

interface KeyState {
  kind: "absent" | "live" | "revoked" | "unknown" | "unparsed";
  key?: string;
}

function dkimState(view: DomainView, name: string): KeyState {
  const records = view.at(name, "TXT");
  const text = view.values(name, "TXT")[0];
  if (text === undefined) return records.some((r) => (r.unknownValues ?? 0) > 0) ? { kind: "unknown" } : { kind: "absent" };
  const r = parseDkim(text, name).record;
  if (!r) return { kind: "unparsed", key: text };
  return r.revoked || r.publicKey === "" ? { kind: "revoked" } : { kind: "live", key: r.publicKey };
}

function compareDkim(domain: string, before: DomainView, after: DomainView): Consequence[] {
  const suffix = `._domainkey.${domain}`;
  const names = [...new Set([...before.names(), ...after.names()].filter((n) => n.endsWith(suffix)))].sort();
  const selector = (n: string) => n.slice(0, -suffix.length);
  const liveAfter = names.filter((n) => dkimState(after, n).kind === "live" || dkimState(after, n).kind === "unknown");
  const stayLive = names.filter((n) => dkimState(before, n).kind === "live" && ["live", "unknown"].includes(dkimState(after, n).kind) && dkimState(after, n).key === dkimState(before, n).key);
  const out: Consequence[] = [];
  for (const n of names) {
    const b = dkimState(before, n);
    const a = dkimState(after, n);
    const subject = `${n} TXT`;
    const s = selector(n);
    if (b.kind === "live") {
      if (a.kind === "absent") out.push(consequence("dkim-selector-removed", subject, `selector ${s} is removed while its key is live: mail still signed with s=${s} fails DKIM`));
      else if (a.kind === "revoked") {
        const others = liveAfter.filter((x) => x !== n);
        out.push(consequence("dkim-key-revoked", subject, `selector ${s} is revoked${others.length ? `; ${others.map(selector).join(", ")} ${others.length === 1 ? "stays" : "stay"} live` : " and no other selector stays live"}`, { severity: others.length ? "warning" : "error" }));
      } else if (a.kind === "unknown" || (a.key !== undefined && a.key !== b.key)) {
        out.push(consequence("dkim-key-replaced", subject, `the key at selector ${s} is replaced${a.kind === "unknown" ? " by one generated at deploy time" : ""}: mail signed with the old key fails DKIM`));
      }
    } else if ((b.kind === "absent" || b.kind === "revoked") && (a.kind === "live" || a.kind === "unknown") && stayLive.length > 0) {
      out.push(consequence("dkim-rotation-step", subject, `selector ${s} is published beside ${stayLive.map(selector).join(", ")}: deploy its key, switch the signer, and retire the old selector in a later update`));
    }
  }
  return out;
}

const RANK: Record<DmarcPolicy, number> = { none: 0, quarantine: 1, reject: 2 };

function dmarcOf(view: DomainView, domain: string): DmarcTags | undefined {
  const text = view.values(dmarcName(domain), "TXT").find(isDmarcRecord);
  return text === undefined ? undefined : parseDmarc(text).tags;
}

function compareDmarc(domain: string, before: DomainView, after: DomainView): Consequence[] {
  const b = dmarcOf(before, domain);
  const a = dmarcOf(after, domain);
  const subject = `${dmarcName(domain)} TXT`;
  if (!b && !a) return [];
  if (b && !a) {
    if (after.at(dmarcName(domain), "TXT").some((r) => (r.unknownValues ?? 0) > 0)) return [];
    return [consequence("dmarc-weakened", subject, `the DMARC record (p=${b.p ?? "?"}) is removed: receivers apply no policy`)];
  }
  const weaker: string[] = [];
  const stronger: string[] = [];
  const policies = (t?: DmarcTags) => {
    const p = t?.p ?? "none";
    const sp = t?.sp ?? p;
    return { p, sp, np: t?.np ?? sp };
  };
  const pb = policies(b);
  const pa = policies(a);
  for (const k of ["p", "sp", "np"] as const) {
    // sp and np follow p unless either record sets them.
    if (k !== "p" && b?.[k] === undefined && a?.[k] === undefined) continue;
    if (RANK[pa[k]] < RANK[pb[k]]) weaker.push(`${k} ${pb[k]} → ${pa[k]}`);
    if (RANK[pa[k]] > RANK[pb[k]]) stronger.push(`${k} ${b ? pb[k] : "(no record)"} → ${pa[k]}`);
  }
  for (const k of ["adkim", "aspf"] as const) {
    const x = b?.[k] ?? "r";
    const y = a?.[k] ?? "r";
    if (x === "s" && y === "r") weaker.push(`${k} s → r`);
    if (x === "r" && y === "s") stronger.push(`${k} r → s`);
  }
  const out: Consequence[] = [];
  if (weaker.length) out.push(consequence("dmarc-weakened", subject, `DMARC is weakened: ${weaker.join(", ")}`));
  if (stronger.length) {
    const rejects = pa.p === "reject" && pb.p !== "reject";
    out.push(consequence("dmarc-strengthened", subject, `DMARC is strengthened: ${stronger.join(", ")}`, rejects ? { receivers: "mail that fails DMARC is now rejected with 550 5.7.1: any legitimate sender not yet aligned loses its mail" } : {}));
  }
  for (const k of ["rua", "ruf"] as const) {
    const kept = new Set((a?.[k] ?? []).map((u) => u.address.toLowerCase()));
    const gone = (b?.[k] ?? []).filter((u) => !kept.has(u.address.toLowerCase()));
    if (gone.length) out.push(consequence("dmarc-reports-dropped", subject, `${k === "rua" ? "aggregate" : "failure"} reports no longer go to ${gone.map((u) => u.address).join(", ")}`));
  }
  return out;
}

function mxHosts(view: DomainView, domain: string): string[] {
  return view.values(domain, "MX").map((v) => v.trim().split(/\s+/)[1]?.toLowerCase().replace(/\.$/, "") ?? "").filter((h) => h !== "");
}

function compareMx(domain: string, before: DomainView, after: DomainView): Consequence[] {
  const norm = (v: string) => v.trim().toLowerCase().replace(/\s+/g, " ");
  const b = before.values(domain, "MX").map(norm);
  const a = after.values(domain, "MX").map(norm);
  const subject = `${domain} MX`;
  if (after.at(domain, "MX").some((r) => (r.unknownValues ?? 0) > 0)) return [];
  const isNull = (l: string[]) => l.length === 1 && /^0 \.?$/.test(l[0] ?? "");
  if (b.length > 0 && !isNull(b) && (a.length === 0 || isNull(a))) {
    return [consequence("mx-removed", subject, a.length === 0 ? `every MX is removed (${b.join(", ")}): the domain is left without one` : "the MX becomes a null MX (0 .): the domain stops receiving mail")];
  }
  const removed = b.filter((v) => !a.includes(v));
  const added = a.filter((v) => !b.includes(v));
  if (b.length === 0 || (removed.length === 0 && added.length === 0)) return [];
  const parts = [...removed.map((v) => `MX ${v} removed`), ...added.map((v) => `MX ${v} added`)];
  return [consequence("mx-changed", subject, parts.join("; "))];
}

/** The PTR name of an address; undefined for a value that is not one (the syntax rules report it). */
function reverseName(ip: string): string | undefined {
  try {
    return ptrName(ip);
  } catch {
    return undefined;
  }
}

function compareHosts(domain: string, before: DomainView, after: DomainView): Consequence[] {
  const hosts = [...new Set([...mxHosts(before, domain), ...mxHosts(after, domain)])].sort();
  const out: Consequence[] = [];
  for (const host of hosts) {
    for (const type of ["A", "AAAA"]) {
      const b = before.values(host, type);
      const a = after.values(host, type);
      for (const ip of a.filter((x) => !b.includes(x))) {
        const ptr = reverseName(ip);
        if (ptr === undefined) continue;
        const names = after.values(ptr, "PTR").map((v) => v.toLowerCase().replace(/\.$/, ""));
        if (names.includes(host)) continue;
        if (names.length > 0) out.push(consequence("mail-host-address-changed", `${host} ${type}`, `${host} gets ${ip}, whose PTR names ${names.join(", ")}, not ${host}: iprev fails`));
        else if (after.knows(ptr, "PTR") || isAtOrBelow(host, domain)) out.push(consequence("mail-host-address-changed", `${host} ${type}`, `${host} gets ${ip} without a PTR ${after.knows(ptr, "PTR") ? "" : "in this stack "}naming it: iprev fails unless one is published`));
      }
      for (const ip of b) {
        const ptr = reverseName(ip);
        if (ptr === undefined) continue;
        const was = before.values(ptr, "PTR").map((v) => v.toLowerCase().replace(/\.$/, ""));
        const now = after.values(ptr, "PTR").map((v) => v.toLowerCase().replace(/\.$/, ""));
        if (was.includes(host) && !now.includes(host) && a.includes(ip)) {
          out.push(consequence("mail-host-address-changed", `${ptr} PTR`, `the PTR of ${ip} no longer names ${host}${now.length ? ` (now ${now.join(", ")})` : ""}, which still uses that address: iprev fails`));
        }
      }
    }
  }
  return out;
}

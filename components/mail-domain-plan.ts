import { isIP } from "node:net";
import { buildDkim, dkimName, parseDkim } from "../lib/dkim";
import { buildDmarc, dmarcName, externalDestinations, parseDmarc } from "../lib/dmarc";
import { MailDnsError } from "../lib/errors";
import { checkMx, formatMx } from "../lib/mx";
import { isAtOrBelow, normalizeName } from "../lib/names";
import { canonicalAddress, ptrName } from "../lib/reverse";
import { RecordType } from "../lib/records";
import { buildSpf, isSpfRecord, SpfPolicy } from "../lib/spf";
import { ZoneHandle } from "../zones/zone";
import { CheckedDkimKeyArgs, checkDkimKeyArgs } from "./dkim-key";
import { planTransport, TransportPlan } from "./mail-domain-transport";
import { planDane } from "./mail-domain-dane";
import { planBimi } from "./mail-domain-bimi";
import { DEFAULT_TTL, DkimSelectorArgs, DmarcArgs, MailDomainArgs, TtlKind } from "./mail-domain-args";

/**
 * Pure validation and rendering of MailDomain arguments: every field is
 * checked with lib/ before any resource exists, and errors name the domain,
 * the field path, the value and the rule id.
 */
export interface PlannedSet {
  zone: ZoneHandle;
  name: string;
  type: RecordType;
  ttl: number;
  /** Values known now, in presentation form. */
  values: string[];
  /** DKIM selectors whose generated key fills a value at deploy time. */
  generated?: CheckedDkimKeyArgs[];
  /** A retired selector's generated key, kept (not published) until the selector is removed, so a rotation can be rolled back. */
  retainedKey?: CheckedDkimKeyArgs;
}

export interface PlannedEip {
  host: string;
  allocationId: unknown;
}

export interface MailDomainPlan {
  domain: string;
  sets: PlannedSet[];
  eips: PlannedEip[];
  /** DKIM selectors by state, for outputs. */
  selectors: { selector: string; name: string; kind: "generated" | "given" | "retired" }[];
  /** The MTA-STS policy maildns rendered, if any. */
  transport: TransportPlan;
}

const fail = (code: ConstructorParameters<typeof MailDnsError>[0], domain: string, field: string, value: unknown, reason: string, ruleId?: string, rfc?: string): never => {
  throw new MailDnsError(code, reason, { domain, field, value, ruleId, rfc });
};

export function planMailDomain(args: MailDomainArgs): MailDomainPlan {
  if (typeof args !== "object" || args === null) fail("invalid-config", "", "args", args, "MailDomain needs an arguments object");
  const domain = normalizeName(args.domain, { field: "domain", kind: "host" });
  const zone = args.zone;
  if (!zone || typeof zone.createRecords !== "function") fail("invalid-config", domain, "zone", zone, "zone must be a zone handle (cloudflareZone, route53Zone, zoneFile, rfc2136Zone)");
  if (!isAtOrBelow(domain, zone.zone)) fail("invalid-config", domain, "zone", zone.zone, `the domain is not in zone ${zone.zone}`);
  const ttl = ttls(args, domain);
  const sets: PlannedSet[] = [];
  const add = (z: ZoneHandle, name: string, type: RecordType, kind: TtlKind, values: string[]) => {
    const existing = sets.find((s) => s.zone === z && s.name === name && s.type === type);
    if (existing) existing.values.push(...values);
    else sets.push({ zone: z, name, type, ttl: ttl[kind], values });
  };
  const eips: PlannedEip[] = [];

  if (args.nullMx && (args.mailHosts?.length || args.mx?.length)) {
    fail("invalid-config", domain, "nullMx", true, "a null MX cannot stand beside mail hosts or MX targets", "null-mx-alone", "RFC 7505 §3");
  }
  if (!args.nullMx && !args.mailHosts?.length && !args.mx?.length) {
    fail("invalid-config", domain, "mailHosts", undefined, "declare mailHosts, mx (external targets) or nullMx: true", "mx-target-has-address", "RFC 5321 §5.1");
  }

  const hostAddrs: { v4: string[]; v6: string[] } = { v4: [], v6: [] };
  (args.mailHosts ?? []).forEach((h, i) => {
    const field = `mailHosts[${i}]`;
    const host = hostName(h.name, domain, `${field}.name`);
    if (!isAtOrBelow(host, zone.zone)) fail("invalid-config", domain, `${field}.name`, h.name, `a mail host must be in zone ${zone.zone}; list hosts elsewhere under mx`);
    const v4 = addresses(h.ipv4, 4, domain, `${field}.ipv4`);
    const v6 = addresses(h.ipv6, 6, domain, `${field}.ipv6`);
    if (v4.length + v6.length === 0) fail("invalid-config", domain, field, h.name, "a mail host needs at least one IPv4 or IPv6 address", "mx-target-has-address", "RFC 5321 §5.1");
    if (sets.some((s) => s.name === host && (s.type === "A" || s.type === "AAAA"))) fail("invalid-config", domain, `${field}.name`, h.name, "this mail host is declared twice", "duplicate-record", "RFC 2181 §5");
    if (v4.length) add(zone, host, "A", "address", v4);
    if (v6.length) add(zone, host, "AAAA", "address", v6);
    hostAddrs.v4.push(...v4);
    hostAddrs.v6.push(...v6);
    const mx = checkMx(h.preference ?? 10 * (i + 1), host, { domain, field });
    add(zone, domain, "MX", "mx", [formatMx(mx)]);
    if (h.ptr?.zones) {
      for (const ip of [...v4, ...v6]) {
        const owner = ptrName(ip);
        const rz = h.ptr.zones.find((z) => isAtOrBelow(owner, z.zone));
        if (rz && rz.capabilities.ptr !== "yes") fail("capability", domain, `${field}.ptr.zones`, rz.zone, `${rz.provider} cannot hold PTR records`);
        if (!rz) {
          const zoneOf = owner.split(".").slice(ip.includes(":") ? 20 : 1).join(".");
          const given = h.ptr.zones.length ? ` (given: ${h.ptr.zones.map((z) => z.zone).join(", ")})` : " (none is given)";
          fail("invalid-config", domain, `${field}.ptr.zones`, ip, `no reverse zone holds its PTR ${owner}${given}; add the reverse zone, e.g. ${zoneOf}`, "ptr-forward-confirmed", "RFC 1035 §3.5");
        }
        add(rz as ZoneHandle, owner, "PTR", "ptr", [`${host}.`]);
      }
    }
    planDane(h.tlsa, field, host, domain, zone, add);
    for (const [j, allocationId] of (h.ptr?.eipAllocationIds ?? []).entries()) {
      if (zone.provider !== "route53") fail("capability", domain, `${field}.ptr.eipAllocationIds[${j}]`, allocationId, "Elastic IP reverse DNS needs a Route 53 zone for the forward record");
      eips.push({ host, allocationId });
    }
  });
  (args.mx ?? []).forEach((m, i) => {
    const mx = checkMx(m.preference, m.host, { domain, field: `mx[${i}]` });
    add(zone, domain, "MX", "mx", [formatMx(mx)]);
  });
  if (args.nullMx) {
    if (zone.capabilities.nullMx !== "yes") fail("capability", domain, "nullMx", true, `${zone.provider} cannot publish a null MX`, "null-mx-alone", "RFC 7505 §3");
    add(zone, domain, "MX", "mx", ["0 ."]);
  }

  const apexTxt = [...spfValue(args, domain, hostAddrs)];
  (args.extraTxt ?? []).forEach((t, i) => {
    if (typeof t !== "string") fail("invalid-config", domain, `extraTxt[${i}]`, t, "a TXT value is a string");
    if (isSpfRecord(t)) fail("invalid-config", domain, `extraTxt[${i}]`, t, "SPF goes in spf, not extraTxt: one v=spf1 record per name", "spf-single-record", "RFC 7208 §4.5");
    apexTxt.push(t);
  });
  if (apexTxt.length) add(zone, domain, "TXT", "spf", apexTxt);

  // Addresses first, so the MX that points at them can depend on them.
  sets.sort((a, b) => Number(b.type === "A" || b.type === "AAAA") - Number(a.type === "A" || a.type === "AAAA"));
  const selectors = planDkim(args.dkim ?? [], domain, zone, sets, ttl.dkim);
  planDmarc(args, domain, zone, add);
  const mxHosts = sets.filter((x) => x.zone === zone && x.name === domain && x.type === "MX").flatMap((x) => x.values.map((v) => v.split(/\s+/)[1]?.replace(/\.$/, "") ?? "")).filter((h) => h !== "");
  const transport = planTransport(args, domain, zone, mxHosts, add);
  planBimi(args, domain, zone, add);
  return { domain, sets, eips, selectors, transport };
}

function ttls(args: MailDomainArgs, domain: string): Record<TtlKind, number> {
  const out = { ...DEFAULT_TTL };
  for (const [k, v] of Object.entries(args.ttl ?? {})) {
    if (!(k in DEFAULT_TTL)) fail("invalid-config", domain, `ttl.${k}`, v, `unknown TTL kind; kinds are ${Object.keys(DEFAULT_TTL).join(", ")}`);
    const { min, max } = args.zone.ttlRange;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      fail("invalid-config", domain, `ttl.${k}`, v, `a TTL on ${args.zone.provider} is an integer ${min}-${max} seconds (RFC 2181 §8)`, undefined, "RFC 2181 §8");
    }
    out[k as TtlKind] = v;
  }
  return out;
}

function hostName(name: unknown, domain: string, field: string): string {
  if (typeof name !== "string" || name === "") return fail("invalid-name", domain, field, name, "a host name is a non-empty string", "name-syntax");
  const abs = name.includes(".") ? name : `${name}.${domain}`;
  return normalizeName(abs, { field, domain, kind: "host" });
}

function addresses(list: unknown, family: 4 | 6, domain: string, field: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return fail("invalid-config", domain, field, list, "a list of addresses");
  const out = list.map((ip, j) => {
    if (typeof ip !== "string" || isIP(ip) !== family) fail("invalid-address", domain, `${field}[${j}]`, ip, `not an IPv${family} address`, undefined, family === 4 ? "RFC 791" : "RFC 4291 §2.2");
    return canonicalAddress(ip as string);
  });
  const dup = out.find((ip, j) => out.indexOf(ip) !== j);
  if (dup) fail("invalid-config", domain, field, dup, "the address is listed twice", "duplicate-record", "RFC 2181 §5");
  return out;
}

function spfValue(args: MailDomainArgs, domain: string, hosts: { v4: string[]; v6: string[] }): string[] {
  if (args.nullMx) {
    if (args.spf) fail("invalid-config", domain, "spf", args.spf, 'a null-MX domain sends no mail: its SPF is "v=spf1 -all"', "null-mx-alone", "RFC 7505 §4");
    return ["v=spf1 -all"];
  }
  if (args.spf === false) return [];
  const s = args.spf ?? {};
  if (s.all !== undefined && !["-", "~", "?"].includes(s.all)) {
    fail("invalid-spf", domain, "spf.all", s.all, '"all" must be "-", "~" or "?"; "+all" authorises every host', "spf-no-plus-all", "RFC 7208 §5.1");
  }
  // Each domain of the policy on its own, so an error names its field (macros are checked by the SPF parser).
  for (const key of ["include", "a", "mx"] as const) {
    (s[key] ?? []).forEach((v, i) => {
      if (typeof v === "string" && !v.includes("%")) normalizeName(v, { field: `spf.${key}[${i}]`, domain, kind: "owner" });
    });
  }
  if (typeof s.redirect === "string" && !s.redirect.includes("%")) normalizeName(s.redirect, { field: "spf.redirect", domain, kind: "owner" });
  const authorize = s.authorizeMailHosts !== false;
  const policy: SpfPolicy = {
    a: s.a, mx: s.mx,
    ip4: [...(authorize ? hosts.v4 : []), ...(s.ip4 ?? [])],
    ip6: [...(authorize ? hosts.v6 : []), ...(s.ip6 ?? [])],
    include: s.include, redirect: s.redirect, all: s.all ?? (s.redirect ? "none" : "-"),
  };
  try {
    return [buildSpf(policy, "spf")];
  } catch (e) {
    if (e instanceof MailDnsError) fail("invalid-spf", domain, "spf", e.value, e.reason, "spf-syntax", "RFC 7208 §12");
    throw e;
  }
}

function planDkim(list: DkimSelectorArgs[], domain: string, zone: ZoneHandle, sets: PlannedSet[], ttl: number): MailDomainPlan["selectors"] {
  const out: MailDomainPlan["selectors"] = [];
  // A generated key honours keyType as a given one does: ed25519 is RFC 8463.
  const keyArgs = (d: DkimSelectorArgs, field: string) => {
    if (d.keyType !== undefined && d.keyType !== "rsa" && d.keyType !== "ed25519") fail("invalid-dkim", domain, `${field}.keyType`, d.keyType, "keyType must be rsa or ed25519", "dkim-record-syntax", "RFC 8463 §3");
    return checkDkimKeyArgs({ selector: d.selector, algorithm: d.keyType, keyBits: d.keyBits, allowWeakKey: d.allowWeakKey }, field, domain);
  };
  list.forEach((d, i) => {
    const field = `dkim[${i}]`;
    const name = dkimName(d?.selector, domain, `${field}.selector`);
    if (out.some((o) => o.name === name)) fail("invalid-config", domain, `${field}.selector`, d.selector, "this selector is declared twice", "duplicate-record", "RFC 2181 §5");
    const set: PlannedSet = { zone, name, type: "TXT", ttl, values: [] };
    if (d.retired) {
      set.values.push(buildDkim({ publicKey: "" }));
      // A generated key (no publicKey given) stays in the state until the selector is removed.
      if (d.publicKey === undefined) set.retainedKey = keyArgs(d, field);
      out.push({ selector: d.selector, name, kind: "retired" });
    } else if (d.publicKey !== undefined) {
      let value: string;
      try {
        value = buildDkim({ publicKey: d.publicKey.replace(/\s+/g, ""), keyType: d.keyType ?? "rsa" });
      } catch (e) {
        return fail("invalid-dkim", domain, `${field}.publicKey`, d.publicKey.slice(0, 40), e instanceof MailDnsError ? e.reason : (e as Error).message, "dkim-record-syntax", "RFC 6376 §3.6.1");
      }
      const bits = parseDkim(value).record?.keyBits;
      if (bits !== undefined && bits < 1024) fail("invalid-dkim", domain, `${field}.publicKey`, `${bits} bits`, "RSA keys under 1024 bits are rejected by verifiers", "dkim-key-size", "RFC 8301 §3.2");
      set.values.push(value);
      out.push({ selector: d.selector, name, kind: "given" });
    } else {
      const k = keyArgs(d, field);
      set.generated = [k];
      out.push({ selector: k.selector, name, kind: "generated" });
    }
    sets.push(set);
  });
  return out;
}

function planDmarc(args: MailDomainArgs, domain: string, zone: ZoneHandle, add: (z: ZoneHandle, n: string, t: RecordType, k: TtlKind, v: string[]) => void): void {
  if (args.dmarc === false) {
    if (args.nullMx) fail("invalid-config", domain, "dmarc", false, "a null-MX domain publishes DMARC p=reject so no one can send as it", "null-mx-alone", "RFC 7505 §4");
    return;
  }
  const d = args.dmarc ?? { p: "reject" as const };
  if (args.nullMx && d.p !== "reject") fail("invalid-config", domain, "dmarc.p", d.p, "a null-MX domain publishes p=reject", "null-mx-alone", "RFC 7505 §4");
  let value: string;
  const { reportZones: _zones, ...spec } = d as DmarcArgs;
  // Report addresses one by one first, so an error names the entry.
  for (const key of ["rua", "ruf"] as const) {
    (spec[key] ?? []).forEach((uri, i) => {
      try {
        buildDmarc({ p: "none", [key]: [uri] }, `dmarc.${key}[${i}]`);
      } catch (e) {
        fail("invalid-dmarc", domain, `dmarc.${key}[${i}]`, uri, e instanceof MailDnsError ? e.reason : String(e), "dmarc-syntax", e instanceof MailDnsError ? e.rfc : undefined);
      }
    });
  }
  try {
    value = buildDmarc(spec, "dmarc");
  } catch (e) {
    return fail("invalid-dmarc", domain, "dmarc", (e as MailDnsError).value ?? d, e instanceof MailDnsError ? e.reason : String(e), "dmarc-syntax", "RFC 7489 §6.3");
  }
  add(zone, dmarcName(domain), "TXT", "dmarc", [value]);
  const tags = parseDmarc(value).tags;
  for (const ext of tags ? externalDestinations(domain, tags) : []) {
    const rz = (d.reportZones ?? []).find((z) => isAtOrBelow(ext.authorizationName, z.zone));
    if (rz) add(rz, ext.authorizationName, "TXT", "dmarc", ["v=DMARC1"]);
  }
}

import ipaddr from "ipaddr.js";
import { DnsResolver, errorCode, isNoAnswer } from "../resolver";
import { expandMacros, MacroContext, queryName } from "./macro";
import { isSpfRecord, Mechanism, parseSpf, SpfRecord } from "./parse";

/**
 * check_host() of RFC 7208 §4–§8, written to the letter of the RFC: record
 * selection (§4.5), initial processing (§4.3), the 10-lookup and 2-void
 * limits (§4.6.4), mx/ptr name limits, include/redirect/exp semantics (§5,
 * §6), macros (§7). Hand-written: no maintained npm package passes the
 * RFC 7208 test suite with an injectable resolver.
 */
export type SpfResult = "pass" | "fail" | "softfail" | "neutral" | "none" | "permerror" | "temperror";

export interface CheckHostInput {
  /** The SMTP client's address. IPv4-mapped IPv6 counts as IPv4 (RFC 7208 §5). */
  ip: string;
  /** MAIL FROM; empty for a bounce (then postmaster@helo is checked). */
  sender: string;
  helo: string;
  /** Domain to check; defaults to the sender's domain. */
  domain?: string;
  /** %{r}; defaults to "unknown". */
  receiver?: string;
  now?: Date;
}

export interface CheckHostOptions {
  resolver: DnsResolver;
  maxLookups?: number;
  maxVoidLookups?: number;
  /** Overall time limit (RFC 7208 §4.6.4 asks for at least 20 s). */
  timeoutMs?: number;
}

export interface CheckHostResult {
  result: SpfResult;
  /** The exp= text for a fail, when the domain publishes one. */
  explanation?: string;
  /** Why: the matching mechanism, or the error. */
  reason: string;
  lookups: number;
  voidLookups: number;
}

class Abort {
  constructor(readonly result: "permerror" | "temperror", readonly reason: string) {}
}

const QUALIFIER_RESULT = { "+": "pass", "-": "fail", "~": "softfail", "?": "neutral" } as const;

interface State {
  opts: Required<Omit<CheckHostOptions, "resolver">> & { resolver: DnsResolver };
  lookups: number;
  voids: number;
  deadline: number;
  ip: ipaddr.IPv4 | ipaddr.IPv6;
  base: Omit<MacroContext, "domain" | "validatedName">;
}

export async function checkHost(input: CheckHostInput, options: CheckHostOptions): Promise<CheckHostResult> {
  let parsedIp: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsedIp = ipaddr.parse(input.ip);
  } catch {
    return { result: "none", reason: `"${input.ip}" is not an IP address`, lookups: 0, voidLookups: 0 };
  }
  if (parsedIp.kind() === "ipv6" && (parsedIp as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsedIp = (parsedIp as ipaddr.IPv6).toIPv4Address();
  }
  // §4.3: an empty MAIL FROM is replaced by postmaster@<helo>; no local-part means "postmaster".
  const sender = input.sender === "" ? `postmaster@${input.helo}` : input.sender;
  const at = sender.lastIndexOf("@");
  const local = at <= 0 ? "postmaster" : sender.slice(0, at);
  const senderDomain = at < 0 ? sender : sender.slice(at + 1);
  const domain = input.domain ?? senderDomain;
  const st: State = {
    opts: {
      resolver: options.resolver,
      maxLookups: options.maxLookups ?? 10,
      maxVoidLookups: options.maxVoidLookups ?? 2,
      timeoutMs: options.timeoutMs ?? 20000,
    },
    lookups: 0,
    voids: 0,
    deadline: Date.now() + (options.timeoutMs ?? 20000),
    ip: parsedIp,
    base: {
      sender: at < 0 ? `postmaster@${sender}` : at === 0 ? `postmaster${sender}` : sender,
      local,
      senderDomain,
      ip: ipForms(parsedIp),
      helo: input.helo,
      receiver: input.receiver ?? "unknown",
      now: input.now ?? new Date(),
    },
  };
  const done = (r: Omit<CheckHostResult, "lookups" | "voidLookups">): CheckHostResult => ({
    ...r, lookups: st.lookups, voidLookups: st.voids,
  });
  if (!isQueryableDomain(domain)) return done({ result: "none", reason: `"${domain}" is not a valid domain name (RFC 7208 §4.3)` });
  try {
    return done(await evaluate(st, domain.replace(/\.$/, "").toLowerCase()));
  } catch (e) {
    if (e instanceof Abort) return done({ result: e.result, reason: e.reason });
    throw e;
  }
}

function ipForms(ip: ipaddr.IPv4 | ipaddr.IPv6): MacroContext["ip"] {
  if (ip.kind() === "ipv4") return { readable: ip.toString(), dotted: ip.toString(), version: 4 };
  const nibbles = ip.toByteArray().map((b) => b.toString(16).padStart(2, "0")).join("").split("").join(".");
  return { readable: ip.toString(), dotted: nibbles, version: 6 };
}

function isQueryableDomain(d: string): boolean {
  const name = d.endsWith(".") ? d.slice(0, -1) : d;
  if (name.length === 0 || name.length > 253 || !name.includes(".")) return false;
  return name.split(".").every((l) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
}

async function dns<T>(st: State, q: () => Promise<T>): Promise<T | undefined> {
  if (Date.now() > st.deadline) throw new Abort("temperror", "the SPF check ran out of time (RFC 7208 §4.6.4)");
  try {
    return await q();
  } catch (e) {
    if (isNoAnswer(e)) return undefined;
    throw new Abort("temperror", `DNS ${errorCode(e) ?? "error"} (RFC 7208 §2.6.6)`);
  }
}

function countLookup(st: State, term: string): void {
  st.lookups++;
  if (st.lookups > st.opts.maxLookups) {
    throw new Abort("permerror", `"${term}" is DNS lookup ${st.lookups}; at most ${st.opts.maxLookups} are allowed (RFC 7208 §4.6.4)`);
  }
}

function countVoid(st: State, term: string): void {
  st.voids++;
  if (st.voids > st.opts.maxVoidLookups) {
    throw new Abort("permerror", `"${term}" is void lookup ${st.voids}; at most ${st.opts.maxVoidLookups} are allowed (RFC 7208 §4.6.4)`);
  }
}

/** Fetch and select the SPF record of `domain` (§4.4, §4.5). */
async function fetchRecord(st: State, domain: string): Promise<SpfRecord | "none"> {
  const txt = await dns(st, () => st.opts.resolver.resolveTxt(domain));
  const records = (txt ?? []).map((chunks) => chunks.join("")).filter(isSpfRecord);
  if (records.length === 0) return "none";
  if (records.length > 1) throw new Abort("permerror", `${domain} has ${records.length} SPF records (RFC 7208 §4.5)`);
  const parsed = parseSpf(records[0] as string);
  if (!parsed.record) {
    throw new Abort("permerror", `${domain}: ${parsed.errors.map((e) => e.message).join("; ")}`);
  }
  return parsed.record;
}

function context(st: State, domain: string): MacroContext {
  let p: Promise<string> | undefined;
  return { ...st.base, domain, validatedName: () => (p ??= validatedName(st, domain)) };
}

async function evaluate(st: State, domain: string): Promise<Omit<CheckHostResult, "lookups" | "voidLookups">> {
  const record = await fetchRecord(st, domain);
  if (record === "none") return { result: "none", reason: `${domain} publishes no SPF record` };
  const ctx = context(st, domain);
  for (const term of record.terms) {
    if (term.kind !== "mechanism") continue;
    if (await matches(st, term, ctx)) {
      const result = QUALIFIER_RESULT[term.qualifier];
      const reason = `${domain}: matched ${term.qualifier}${term.name}${term.domainSpec ? `:${term.domainSpec}` : term.network ? `:${term.network}` : ""}`;
      if (result === "fail" && record.exp !== undefined) {
        const explanation = await explain(st, record.exp, ctx);
        return explanation === undefined ? { result, reason } : { result, reason, explanation };
      }
      return { result, reason };
    }
  }
  if (record.redirect !== undefined) {
    countLookup(st, `redirect=${record.redirect}`);
    const target = queryName(await expandMacros(record.redirect, ctx));
    if (!target || !isQueryableDomain(target)) {
      throw new Abort("permerror", `redirect=${record.redirect} does not name a valid domain (RFC 7208 §6.1)`);
    }
    const r = await evaluate(st, target.toLowerCase());
    if (r.result === "none") throw new Abort("permerror", `redirect target ${target} has no SPF record (RFC 7208 §6.1)`);
    return r;
  }
  return { result: "neutral", reason: `${domain}: no mechanism matched (RFC 7208 §4.7)` };
}

async function target(st: State, m: Mechanism, ctx: MacroContext): Promise<string | undefined> {
  return m.domainSpec === undefined ? ctx.domain : queryName(await expandMacros(m.domainSpec, ctx));
}

function inNetwork(st: State, address: string, m: Mechanism): boolean {
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.parse(address);
  } catch {
    return false;
  }
  if (a.kind() !== st.ip.kind()) return false;
  const bits = st.ip.kind() === "ipv4" ? (m.cidr4 ?? 32) : (m.cidr6 ?? 128);
  return (st.ip as ipaddr.IPv4).match(a as ipaddr.IPv4, bits);
}

async function addresses(st: State, name: string): Promise<string[] | undefined> {
  const r = st.opts.resolver;
  return dns(st, () => (st.ip.kind() === "ipv4" ? r.resolve4(name) : r.resolve6(name)));
}

async function matches(st: State, m: Mechanism, ctx: MacroContext): Promise<boolean> {
  switch (m.name) {
    case "all":
      return true;
    case "ip4":
    case "ip6": {
      const net = ipaddr.parse(m.network as string);
      if (net.kind() !== st.ip.kind()) return false;
      const bits = m.cidr4 ?? m.cidr6 ?? (net.kind() === "ipv4" ? 32 : 128);
      return (st.ip as ipaddr.IPv4).match(net as ipaddr.IPv4, bits);
    }
    case "include": {
      countLookup(st, `include:${m.domainSpec}`);
      const name = await target(st, m, ctx);
      if (!name) throw new Abort("permerror", `include:${m.domainSpec} does not name a valid domain (RFC 7208 §5.2)`);
      const r = await evaluate(st, name.toLowerCase());
      switch (r.result) {
        case "pass": return true;
        case "fail": case "softfail": case "neutral": return false;
        case "temperror": throw new Abort("temperror", r.reason);
        default: throw new Abort("permerror", `include:${name} gave ${r.result} (RFC 7208 §5.2)`);
      }
    }
    case "a": {
      countLookup(st, "a");
      const name = await target(st, m, ctx);
      if (!name) return false;
      const found = await addresses(st, name);
      if (!found) countVoid(st, `a:${name}`);
      return (found ?? []).some((a) => inNetwork(st, a, m));
    }
    case "mx": {
      countLookup(st, "mx");
      const name = await target(st, m, ctx);
      if (!name) return false;
      const mx = await dns(st, () => st.opts.resolver.resolveMx(name));
      if (!mx) {
        countVoid(st, `mx:${name}`);
        return false;
      }
      if (mx.length > 10) throw new Abort("permerror", `mx:${name} has ${mx.length} MX records; at most 10 are looked up (RFC 7208 §4.6.4)`);
      for (const { exchange } of mx) {
        if (exchange === "" || exchange === ".") continue;
        const found = await addresses(st, exchange);
        if ((found ?? []).some((a) => inNetwork(st, a, m))) return true;
      }
      return false;
    }
    case "ptr": {
      countLookup(st, "ptr");
      const name = await target(st, m, ctx);
      if (!name) return false;
      const want = name.toLowerCase();
      const validated = await validatedNames(st);
      if (validated === undefined) countVoid(st, "ptr");
      return (validated ?? []).some((v) => v === want || v.endsWith(`.${want}`));
    }
    case "exists": {
      countLookup(st, `exists:${m.domainSpec}`);
      const name = await target(st, m, ctx);
      if (!name) return false;
      const found = await dns(st, () => st.opts.resolver.resolve4(name));
      if (!found) countVoid(st, `exists:${name}`);
      return (found ?? []).length > 0;
    }
  }
}

/** Names from the PTR of the client address whose A/AAAA include it (§5.5), at most 10 tried. */
async function validatedNames(st: State): Promise<string[] | undefined> {
  const r = st.opts.resolver;
  let ptrs: string[];
  try {
    ptrs = await r.resolvePtr(reverseName(st));
  } catch {
    return undefined; // §5.5: a DNS error on the PTR lookup means no match
  }
  const out: string[] = [];
  for (const host of ptrs.slice(0, 10)) {
    try {
      const addrs = st.ip.kind() === "ipv4" ? await r.resolve4(host) : await r.resolve6(host);
      if (addrs.some((a) => ipaddr.parse(a).toString() === st.ip.toString())) out.push(host.toLowerCase().replace(/\.$/, ""));
    } catch {
      // §5.5: a failed address lookup skips that name
    }
  }
  return out;
}

function reverseName(st: State): string {
  return st.ip.kind() === "ipv4"
    ? `${st.ip.toString().split(".").reverse().join(".")}.in-addr.arpa`
    : `${ipForms(st.ip).dotted.split(".").reverse().join(".")}.ip6.arpa`;
}

/** %{p} (§7.3): prefer the domain itself, then a subdomain of it, then any validated name. */
async function validatedName(st: State, domain: string): Promise<string> {
  const names = (await validatedNames(st)) ?? [];
  return names.find((n) => n === domain) ?? names.find((n) => n.endsWith(`.${domain}`)) ?? names[0] ?? "unknown";
}

/** exp= (§6.2): any failure means "no explanation"; it never changes the result or counts lookups. */
async function explain(st: State, spec: string, ctx: MacroContext): Promise<string | undefined> {
  try {
    const name = queryName(await expandMacros(spec, ctx));
    if (!name) return undefined;
    const txt = await st.opts.resolver.resolveTxt(name);
    if (txt.length !== 1) return undefined;
    const text = (txt[0] as string[]).join("");
    if (/[^\x20-\x7e]/.test(text)) return undefined;
    return await expandMacros(text, ctx, true);
  } catch {
    return undefined;
  }
}

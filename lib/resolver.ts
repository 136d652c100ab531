import { promises as dnsPromises } from "node:dns";
import { isIP } from "node:net";
import { queryUdp } from "./dns-query";
import { MailDnsError } from "./errors";

/**
 * The DNS that lib/ may use: the subset of node's `dns.promises.Resolver`
 * that mail checks need. Failures reject with an Error whose `code` is one of
 * node's DNS codes (ENODATA, ENOTFOUND, ETIMEOUT, ESERVFAIL, ...).
 */
export interface MxAnswer {
  exchange: string;
  priority: number;
}

export interface DnsResolver {
  resolveTxt(name: string): Promise<string[][]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<MxAnswer[]>;
  resolvePtr(name: string): Promise<string[]>;
  resolveCname(name: string): Promise<string[]>;
  /** TLSA records (RFC 6698), with whether the answer was DNSSEC-signed; optional: node's resolver has no TLSA before 22.15. */
  resolveTlsa?(name: string): Promise<TlsaAnswer[]>;
}

/** One TLSA record as answered; `signed`: the answer carried the AD bit or RRSIGs (undefined: not known). */
export interface TlsaAnswer {
  usage: number;
  selector: number;
  matchingType: number;
  /** Association data, lowercase hex. */
  data: string;
  signed?: boolean;
}

export type QueryType = "TXT" | "A" | "AAAA" | "MX" | "PTR" | "CNAME" | "TLSA";

export interface DnsFailure extends Error {
  code: string;
  hostname?: string;
  syscall?: string;
}

export function dnsError(code: string, syscall: string, hostname: string): DnsFailure {
  const e = new Error(`${syscall} ${code} ${hostname}`) as DnsFailure;
  e.code = code;
  e.syscall = syscall;
  e.hostname = hostname;
  return e;
}

export function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string"
    ? (e as { code: string }).code
    : undefined;
}

/** NXDOMAIN or an empty answer: the name or the type does not exist (a "void lookup"). */
export function isNoAnswer(e: unknown): boolean {
  const c = errorCode(e);
  return c === "ENODATA" || c === "ENOTFOUND";
}

export interface ResolverOptions {
  /** `"127.0.0.1:5353"`, `"[::1]:53"`, `"192.0.2.53"`; default: the system's. */
  servers?: string[];
  /** Per-query timeout in milliseconds (default 2000). */
  timeoutMs?: number;
  /** Tries per query (default 2). */
  tries?: number;
}

/** Validate a server address; returns it in the form node's setServers takes. */
export function parseServer(server: string, field = "servers"): string {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(server) ?? /^([^:]+)(?::(\d+))?$/.exec(server);
  const bare = isIP(server) === 6 ? [server, server, undefined] : m;
  const host = bare?.[1];
  const port = bare?.[2];
  if (!host || isIP(host) === 0 || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new MailDnsError("invalid-resolver", 'a DNS server is an IP address with an optional port, e.g. "127.0.0.1:5353" or "[::1]:53"', {
      field, value: server,
    });
  }
  return server;
}

/** A resolver that asks the given servers, with a per-query timeout and retries. */
export function createResolver(opts: ResolverOptions = {}): DnsResolver {
  const timeout = opts.timeoutMs ?? 2000;
  const tries = opts.tries ?? 2;
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw new MailDnsError("invalid-resolver", "the timeout is a positive number of milliseconds", { field: "timeoutMs", value: opts.timeoutMs });
  }
  if (!Number.isInteger(tries) || tries < 1) {
    throw new MailDnsError("invalid-resolver", "tries is a positive integer", { field: "tries", value: opts.tries });
  }
  const r = new dnsPromises.Resolver({ timeout, tries });
  if (opts.servers && opts.servers.length > 0) {
    r.setServers(opts.servers.map((s, i) => parseServer(s, `servers[${i}]`)));
  }
  // TLSA over UDP with dns-packet, to the first server node would ask.
  const tlsaServer = () => opts.servers?.[0] ?? r.getServers()[0] ?? "127.0.0.1";
  return {
    resolveTlsa: async (n) => {
      const { answers, signed } = await queryUdp(tlsaServer(), n, "TLSA", { timeoutMs: timeout, tries });
      return answers.map((a) => {
        const d = a.data as { usage: number; selector: number; matchingType: number; certificate: Buffer };
        return { usage: d.usage, selector: d.selector, matchingType: d.matchingType, data: d.certificate.toString("hex"), signed };
      });
    },
    resolveTxt: (n) => r.resolveTxt(n),
    resolve4: (n) => r.resolve4(n),
    resolve6: (n) => r.resolve6(n),
    resolveMx: (n) => r.resolveMx(n),
    resolvePtr: (n) => r.resolvePtr(n),
    resolveCname: (n) => r.resolveCname(n),
  };
}

/** A caching resolver, which also tells how many distinct questions it has asked. */
export interface CachingResolver extends DnsResolver {
  questions(): number;
}

/**
 * Memoises every question (type + name, case-insensitive), answers and
 * failures alike, so a whole run asks each distinct question once.
 */
export function cachingResolver(inner: DnsResolver): CachingResolver {
  const cache = new Map<string, Promise<unknown>>();
  const wrap = <T>(type: QueryType, fn: (n: string) => Promise<T>) => (name: string): Promise<T> => {
    const key = `${type} ${name.toLowerCase().replace(/\.$/, "")}`;
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn.call(inner, name);
      cache.set(key, p);
    }
    return p;
  };
  return {
    resolveTxt: wrap("TXT", inner.resolveTxt),
    resolve4: wrap("A", inner.resolve4),
    resolve6: wrap("AAAA", inner.resolve6),
    resolveMx: wrap("MX", inner.resolveMx),
    resolvePtr: wrap("PTR", inner.resolvePtr),
    resolveCname: wrap("CNAME", inner.resolveCname),
    ...(inner.resolveTlsa ? { resolveTlsa: wrap("TLSA", inner.resolveTlsa) } : {}),
    questions: () => cache.size,
  };
}

/**
 * A resolver whose answers always have the documented shapes: a malformed
 * answer (not an array, an MX without a host, an address that is not one)
 * rejects with EBADRESP like a bad packet would, and a thrown value that is
 * not an Error becomes one. Everything the live view asks goes through it.
 */
export function checkedResolver(inner: DnsResolver): DnsResolver {
  const guard = <T>(syscall: string, fn: (n: string) => Promise<unknown>, ok: (x: unknown) => boolean) => async (name: string): Promise<T[]> => {
    let answer: unknown;
    try {
      answer = await fn.call(inner, name);
    } catch (e) {
      throw errorCode(e) ? e : dnsError("EBADRESP", syscall, name);
    }
    if (!Array.isArray(answer) || !answer.every(ok)) throw dnsError("EBADRESP", syscall, name);
    return answer as T[];
  };
  const str = (x: unknown) => typeof x === "string";
  return {
    resolveTxt: guard("queryTxt", inner.resolveTxt, (x) => Array.isArray(x) && x.every(str)),
    resolve4: guard("queryA", inner.resolve4, (x) => typeof x === "string" && isIP(x) === 4),
    resolve6: guard("queryAaaa", inner.resolve6, (x) => typeof x === "string" && isIP(x) === 6),
    resolveMx: guard("queryMx", inner.resolveMx, (x) => {
      const m = x as MxAnswer | null;
      return typeof m === "object" && m !== null && typeof m.exchange === "string" && Number.isInteger(m.priority) && m.priority >= 0 && m.priority <= 65535;
    }),
    resolvePtr: guard("queryPtr", inner.resolvePtr, str),
    resolveCname: guard("queryCname", inner.resolveCname, str),
    ...(inner.resolveTlsa ? {
      resolveTlsa: guard<TlsaAnswer>("queryTlsa", inner.resolveTlsa, (x) => {
        const t = x as TlsaAnswer | null;
        const octet = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 255;
        return typeof t === "object" && t !== null && octet(t.usage) && octet(t.selector) && octet(t.matchingType) && typeof t.data === "string" && /^([0-9a-f]{2})*$/.test(t.data);
      }),
    } : {}),
  };
}

/**
 * Follows CNAME chains itself, as a stub resolver does against a server that
 * does not (an authoritative server answers a name whose CNAME points into
 * another zone with the CNAME alone). On an empty answer, NODATA or SERVFAIL
 * it asks for the name's CNAME and repeats the question at the target; a
 * chain that loops or is longer than 16 rejects with ECNAMELOOP.
 */
export function cnameChasingResolver(inner: DnsResolver): DnsResolver {
  const chase = <T>(method: Exclude<keyof DnsResolver, "resolveCname">) => async (name: string): Promise<T[]> => {
    const seen = [name.toLowerCase().replace(/\.$/, "")];
    let current = name;
    for (;;) {
      let answer: T[] | undefined;
      let failure: unknown;
      try {
        answer = (await (inner[method] as (n: string) => Promise<T[]>).call(inner, current)) ?? [];
        if (answer.length > 0) return answer;
      } catch (e) {
        const c = errorCode(e);
        if (c !== "ENODATA" && c !== "ESERVFAIL") throw e;
        failure = e;
      }
      let target: string[];
      try {
        target = await inner.resolveCname(current);
      } catch {
        if (failure) throw failure;
        return answer ?? [];
      }
      const next = typeof target[0] === "string" ? target[0].toLowerCase().replace(/\.$/, "") : undefined;
      if (!next) {
        if (failure) throw failure;
        return answer ?? [];
      }
      if (seen.includes(next) || seen.length > 16) {
        const e = dnsError("ECNAMELOOP", method, name);
        e.message = `CNAME ${seen.includes(next) ? "loop" : "chain longer than 16"}: ${[...seen, next].join(" -> ")}`;
        throw e;
      }
      seen.push(next);
      current = next;
    }
  };
  return {
    resolveTxt: chase("resolveTxt"),
    resolve4: chase("resolve4"),
    resolve6: chase("resolve6"),
    resolveMx: chase("resolveMx"),
    resolvePtr: chase("resolvePtr"),
    resolveCname: (n) => inner.resolveCname(n),
    ...(inner.resolveTlsa ? { resolveTlsa: chase("resolveTlsa") } : {}),
  };
}

/** Records of one name for {@link staticResolver}. */
export interface StaticRecords {
  A?: string[];
  AAAA?: string[];
  /** Each record is one string or its character-strings. */
  TXT?: (string | string[])[];
  MX?: MxAnswer[];
  PTR?: string[];
  CNAME?: string;
  TLSA?: TlsaAnswer[];
  /** Queries for types this name has no records of time out. */
  timeout?: boolean;
}

/**
 * An in-memory resolver over fixed records, with a recursive resolver's
 * behaviour: CNAME chains are followed (a loop fails with ESERVFAIL), a
 * missing name is ENOTFOUND, a missing type ENODATA. For offline tests and
 * for analysing records that are not published yet.
 */
export function staticResolver(zone: Record<string, StaticRecords>): DnsResolver {
  const data = new Map<string, StaticRecords>();
  for (const [name, recs] of Object.entries(zone)) data.set(key(name), recs);

  function lookup<T>(type: QueryType, syscall: string, pick: (r: StaticRecords) => T[] | undefined) {
    return async (name: string): Promise<T[]> => {
      let current = key(name);
      const seen = new Set<string>();
      for (;;) {
        const recs = data.get(current);
        if (!recs) throw dnsError("ENOTFOUND", syscall, name);
        const answers = pick(recs);
        if (answers && answers.length > 0) return answers;
        if (type !== "CNAME" && recs.CNAME !== undefined) {
          if (seen.has(current) || seen.size > 16) throw dnsError("ESERVFAIL", syscall, name);
          seen.add(current);
          current = key(recs.CNAME);
          continue;
        }
        if (recs.timeout) throw dnsError("ETIMEOUT", syscall, name);
        throw dnsError("ENODATA", syscall, name);
      }
    };
  }
  return {
    resolveTxt: lookup("TXT", "queryTxt", (r) => r.TXT?.map((t) => (Array.isArray(t) ? [...t] : [t]))),
    resolve4: lookup("A", "queryA", (r) => r.A),
    resolve6: lookup("AAAA", "queryAaaa", (r) => r.AAAA),
    resolveMx: lookup("MX", "queryMx", (r) => r.MX?.map((m) => ({ priority: m.priority, exchange: key(m.exchange) }))),
    resolvePtr: lookup("PTR", "queryPtr", (r) => r.PTR?.map(key)),
    resolveCname: lookup("CNAME", "queryCname", (r) => (r.CNAME !== undefined ? [key(r.CNAME)] : undefined)),
    resolveTlsa: lookup("TLSA", "queryTlsa", (r) => r.TLSA),
  };
}

function key(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith(".") && n !== "." ? n.slice(0, -1) : n === "." ? "" : n;
}

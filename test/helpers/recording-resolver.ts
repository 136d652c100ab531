import { DnsResolver } from "../../lib/resolver";

/** Wraps a resolver and records every question it is asked, as "TYPE name". */
export function recordingResolver(inner: DnsResolver): DnsResolver & { queries: string[] } {
  const queries: string[] = [];
  const rec = <T>(type: string, fn: (n: string) => Promise<T>) => (name: string) => {
    queries.push(`${type} ${name.toLowerCase().replace(/\.$/, "")}`);
    return fn.call(inner, name);
  };
  return {
    queries,
    resolveTxt: rec("TXT", inner.resolveTxt),
    resolve4: rec("A", inner.resolve4),
    resolve6: rec("AAAA", inner.resolve6),
    resolveMx: rec("MX", inner.resolveMx),
    resolvePtr: rec("PTR", inner.resolvePtr),
    resolveCname: rec("CNAME", inner.resolveCname),
  };
}

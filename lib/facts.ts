import { DnsResolver, dnsError, StaticRecords, staticResolver } from "./resolver";
import { analyzeSpf, SpfAnalysis } from "./spf/analyze";
import { isSpfRecord } from "./spf/parse";
import { parseMx } from "./mx";
import { DomainView, withFacts } from "./view";

/**
 * Collect the facts rules need but cannot compute without DNS (an SPF
 * include chain's lookups). Names inside the view's zones are answered from
 * the view itself; others go to `resolver`, or fail with EUNVERIFIED when
 * there is none, which rules report as "could not verify".
 */
export async function collectFacts(view: DomainView, opts: { resolver?: DnsResolver } = {}): Promise<DomainView> {
  // A live view is only what was asked for: everything else comes from DNS too.
  const resolver = view.live && opts.resolver ? opts.resolver : viewResolver(view, opts.resolver);
  const spf: Record<string, SpfAnalysis> = {};
  for (const r of view.records) {
    if (r.type !== "TXT" || spf[r.name]) continue;
    const records = r.values.filter(isSpfRecord);
    if (records.length !== 1) continue;
    spf[r.name] = await analyzeSpf(r.name, { resolver, record: records[0] });
  }
  return withFacts(view, { spf });
}

/** A resolver that answers from the view for the zones it holds, else from `fallback`. */
export function viewResolver(view: DomainView, fallback?: DnsResolver): DnsResolver {
  const zone: Record<string, StaticRecords> = {};
  for (const r of view.records) {
    const z = (zone[r.name] ??= {});
    switch (r.type) {
      case "A": (z.A ??= []).push(...r.values); break;
      case "AAAA": (z.AAAA ??= []).push(...r.values); break;
      case "TXT": (z.TXT ??= []).push(...r.values); break;
      case "PTR": (z.PTR ??= []).push(...r.values); break;
      case "CNAME": z.CNAME = r.values[0]; break;
      case "MX":
        for (const v of r.values) {
          const mx = parseMx(v);
          if (mx) (z.MX ??= []).push({ priority: mx.preference, exchange: mx.exchange });
        }
        break;
      default:
        break;
    }
  }
  const local = staticResolver(zone);
  const route = <T>(method: keyof DnsResolver) => (name: string): Promise<T> => {
    const n = name.toLowerCase().replace(/\.$/, "");
    if (view.knows(n)) return (local[method] as (x: string) => Promise<T>)(n);
    if (fallback) return (fallback[method] as (x: string) => Promise<T>).call(fallback, name);
    return Promise.reject(dnsError("EUNVERIFIED", String(method), name));
  };
  return {
    resolveTxt: route("resolveTxt"),
    resolve4: route("resolve4"),
    resolve6: route("resolve6"),
    resolveMx: route("resolveMx"),
    resolvePtr: route("resolvePtr"),
    resolveCname: route("resolveCname"),
  };
}

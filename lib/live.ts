import { isIP } from "node:net";
import { isDmarcRecord, parseDmarc, externalDestinations, dmarcName } from "./dmarc";
import { MailDnsError } from "./errors";
import { collectFacts } from "./facts";
import { canonicalName } from "./names";
import { formatMx } from "./mx";
import { DnsResolver, errorCode, isNoAnswer, MxAnswer } from "./resolver";
import { ptrName } from "./reverse";
import { DomainView, createView, ViewRecord } from "./view";

/**
 * The third view builder: a domain as live DNS answers it. Asks for what the
 * rules need — MX and its targets (CNAME, A, AAAA), TXT at the apex, _dmarc
 * and the DKIM selectors, report authorisations, PTRs of the mail hosts and
 * the names they give — then collects the SPF facts through the same resolver.
 */
export interface LiveOptions {
  resolver: DnsResolver;
  /** DKIM selectors to look at. */
  selectors?: string[];
  /** Where the answers come from, for error messages. */
  server?: string;
  /** Record sets a stack declared: each is fetched, and compared by declared-records-live. */
  expected?: { name: string; type: string; values: string[] }[];
}

export async function liveView(domainInput: string, opts: LiveOptions): Promise<DomainView> {
  const domain = canonicalName(domainInput);
  const r = opts.resolver;
  const records: ViewRecord[] = [];
  const unresolved = new Set<string>();
  // The domain's own names must answer; for other names (MX targets elsewhere,
  // report destinations) a failure only means "could not verify".
  const ask = async <T>(type: string, name: string, q: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await q();
    } catch (e) {
      if (isNoAnswer(e)) return [];
      if (name !== domain && !name.endsWith(`.${domain}`)) {
        unresolved.add(name);
        return [];
      }
      throw new MailDnsError("dns", `${opts.server ?? "the resolver"} did not answer ${type} ${name} (${errorCode(e) ?? String(e)})`, { domain, field: `${name} ${type}`, cause: e });
    }
  };
  const add = (name: string, type: string, values: string[]) => {
    if (values.length) records.push({ name, type, values, source: "dns" });
  };
  const txt = async (name: string) => (await ask("TXT", name, () => r.resolveTxt(name))).map((chunks) => chunks.join(""));
  const addresses = async (host: string) => {
    const cname = await ask("CNAME", host, () => r.resolveCname(host));
    add(host, "CNAME", cname.map((c) => `${canonicalName(c)}.`));
    const v4 = await ask("A", host, () => r.resolve4(host));
    const v6 = await ask("AAAA", host, () => r.resolve6(host));
    if (!cname.length) {
      add(host, "A", v4);
      add(host, "AAAA", v6);
    }
    return [...v4, ...v6];
  };

  const mx = await ask("MX", domain, () => r.resolveMx(domain));
  add(domain, "MX", mx.map(mxText));
  add(domain, "TXT", await txt(domain));
  const dmarcAt = dmarcName(domain);
  const dmarc = await txt(dmarcAt);
  add(dmarcAt, "TXT", dmarc);
  for (const s of opts.selectors ?? []) {
    const name = `${canonicalName(s)}._domainkey.${domain}`;
    add(name, "TXT", await txt(name));
  }
  for (const d of dmarc.filter(isDmarcRecord)) {
    const tags = parseDmarc(d).tags;
    for (const ext of tags ? externalDestinations(domain, tags) : []) add(ext.authorizationName, "TXT", await txt(ext.authorizationName));
  }
  for (const m of mx) {
    // The null MX has no host; an address written as a host is reported by mx-not-ip-literal.
    if (m.exchange === "" || m.exchange === "." || isIP(m.exchange.replace(/\.$/, "")) !== 0) continue;
    const host = canonicalName(m.exchange);
    for (const ip of await addresses(host)) {
      const rev = ptrName(ip);
      const names = await ask("PTR", rev, () => r.resolvePtr(rev));
      add(rev, "PTR", names.map((n) => `${canonicalName(n)}.`));
      for (const n of names) if (canonicalName(n) !== host) await addresses(canonicalName(n));
    }
  }
  for (const e of opts.expected ?? []) {
    const name = canonicalName(e.name);
    switch (e.type) {
      case "A": add(name, "A", await ask("A", name, () => r.resolve4(name))); break;
      case "AAAA": add(name, "AAAA", await ask("AAAA", name, () => r.resolve6(name))); break;
      case "TXT": add(name, "TXT", await txt(name)); break;
      case "PTR": add(name, "PTR", (await ask("PTR", name, () => r.resolvePtr(name))).map((n) => `${canonicalName(n)}.`)); break;
      case "CNAME": add(name, "CNAME", (await ask("CNAME", name, () => r.resolveCname(name))).map((n) => `${canonicalName(n)}.`)); break;
      case "MX": add(name, "MX", (await ask("MX", name, () => r.resolveMx(name))).map(mxText)); break;
      default: break;
    }
  }
  const merged = mergeSets(records);
  const view = createView(merged, { zones: [domain], live: true, facts: { unresolved: [...unresolved], ...(opts.expected ? { expected: opts.expected } : {}) } });
  return collectFacts(view, { resolver: r });
}

/** An MX answer in presentation form; node gives the null MX target as "". */
function mxText(m: MxAnswer): string {
  return formatMx({ preference: m.priority, exchange: m.exchange === "" || m.exchange === "." ? "" : canonicalName(m.exchange) });
}

function mergeSets(records: ViewRecord[]): ViewRecord[] {
  const out = new Map<string, ViewRecord>();
  for (const rec of records) {
    const k = `${rec.name} ${rec.type}`;
    const cur = out.get(k);
    if (cur) cur.values = [...new Set([...cur.values, ...rec.values])];
    else out.set(k, { ...rec });
  }
  return [...out.values()];
}

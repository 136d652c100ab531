import { isIP } from "node:net";
import { discoverDmarc } from "./dmarc-discovery";
import { isDmarcRecord, parseDmarc, externalDestinations, dmarcName } from "./dmarc";
import { checkDnsbl, DnsblResult } from "./dnsbl";
import { collectFacts } from "./facts";
import { canonicalName } from "./names";
import { formatMx } from "./mx";
import { checkedResolver, cnameChasingResolver, DnsResolver, errorCode, MxAnswer } from "./resolver";
import { ptrName } from "./reverse";
import { formatTlsa, tlsaName } from "./tlsa";
import { ANSWERED, DomainView, createView, ViewRecord } from "./view";

/**
 * The third view builder: a domain as live DNS answers it. Asks for what the
 * rules need — the apex (MX, TXT, A, AAAA), MX targets (CNAME, A, AAAA) and
 * the PTRs of their addresses, _dmarc and the DMARC policy receivers would
 * discover, DKIM selectors, report destinations, blocklists — then collects
 * the SPF facts through the same resolver. Every question's outcome is kept
 * (ViewFacts.questions): a failure makes only the checks that need that
 * answer "could not verify"; it never stops the others. Never throws on
 * what a resolver answers.
 */
export interface LiveOptions {
  resolver: DnsResolver;
  /** DKIM selectors to look at. */
  selectors?: string[];
  /** Where the answers come from, for messages. */
  server?: string;
  /** Record sets a stack declared: each is fetched, and compared by declared-records-live. */
  expected?: { name: string; type: string; values: string[] }[];
  /** DNS blocklist zones to look the mail hosts' addresses up in (RFC 5782). */
  dnsbl?: string[];
}

const REASONS: Record<string, string> = {
  ESERVFAIL: "SERVFAIL",
  EREFUSED: "REFUSED",
  ETIMEOUT: "no answer (timeout)",
  ECONNREFUSED: "connection refused",
  EBADRESP: "a malformed answer",
  EFORMERR: "FORMERR",
  ENOTIMP: "NOTIMP",
};

export async function liveView(domainInput: string, opts: LiveOptions): Promise<DomainView> {
  const domain = canonicalName(domainInput);
  const r = cnameChasingResolver(checkedResolver(opts.resolver));
  const records: ViewRecord[] = [];
  const questions: Record<string, string> = {};
  const server = opts.server ?? "the resolver";

  const ask = async <T>(type: string, name: string, q: () => Promise<T[]>): Promise<T[]> => {
    const key = `${name} ${type}`;
    try {
      const answer = await q();
      questions[key] = answer.length ? "answer" : "nodata";
      return answer;
    } catch (e) {
      const code = errorCode(e);
      if (code === "ENOTFOUND") questions[key] = "nxdomain";
      else if (code === "ENODATA") questions[key] = "nodata";
      else if (code === "ECNAMELOOP") questions[key] = `a ${(e as Error).message}`;
      else questions[key] = `${REASONS[code ?? ""] ?? code ?? String(e)} from ${server}`;
      return [];
    }
  };
  const add = (name: string, type: string, values: string[]) => {
    if (values.length) records.push({ name, type, values, source: "dns" });
  };
  const txt = async (name: string) => (await ask("TXT", name, () => r.resolveTxt(name))).map((chunks) => chunks.join(""));
  const addresses = async (host: string): Promise<string[]> => {
    const [cname, v4, v6] = await Promise.all([
      ask("CNAME", host, () => r.resolveCname(host)),
      ask("A", host, () => r.resolve4(host)),
      ask("AAAA", host, () => r.resolve6(host)),
    ]);
    add(host, "CNAME", cname.map((c) => `${canonicalName(c)}.`));
    if (!cname.length) {
      add(host, "A", v4);
      add(host, "AAAA", v6);
    }
    return [...v4, ...v6];
  };
  const ptrOf = async (ip: string): Promise<void> => {
    const rev = ptrName(ip);
    const names = await ask("PTR", rev, () => r.resolvePtr(rev));
    add(rev, "PTR", names.map((n) => `${canonicalName(n)}.`));
    await Promise.all(names.map((n) => canonicalName(n)).map((n) => addresses(n)));
  };

  const dmarcAt = dmarcName(domain);
  const [mx, apexTxt, apexA, apexAaaa, dmarc, dmarcPolicy] = await Promise.all([
    ask("MX", domain, () => r.resolveMx(domain)),
    txt(domain),
    ask("A", domain, () => r.resolve4(domain)),
    ask("AAAA", domain, () => r.resolve6(domain)),
    txt(dmarcAt),
    discoverDmarc(domain, async (name) => {
      const values = await txt(name);
      const outcome = questions[`${name} TXT`] ?? "";
      return ANSWERED.has(outcome) ? { values } : { values, failure: outcome };
    }),
  ]);
  add(domain, "MX", mx.map(mxText));
  add(domain, "TXT", apexTxt);
  add(domain, "A", apexA);
  add(domain, "AAAA", apexAaaa);
  add(dmarcAt, "TXT", dmarc);

  const hosts = [...new Set(mx.filter((m) => m.exchange !== "" && m.exchange !== "." && isIP(m.exchange.replace(/\.$/, "")) === 0).map((m) => canonicalName(m.exchange)))];
  const reportDomains = new Set<string>();
  const authorizations = new Set<string>();
  for (const d of dmarc.filter(isDmarcRecord)) {
    const tags = parseDmarc(d).tags;
    for (const u of [...(tags?.rua ?? []), ...(tags?.ruf ?? [])]) reportDomains.add(u.domain);
    for (const ext of tags ? externalDestinations(domain, tags) : []) authorizations.add(ext.authorizationName);
  }
  const mailHostAddresses: string[] = [];
  const dnssec: Record<string, boolean> = {};
  await Promise.all([
    ...(opts.selectors ?? []).map(async (s) => {
      const name = `${canonicalName(s)}._domainkey.${domain}`;
      add(name, "TXT", await txt(name));
    }),
    ...[...authorizations].map(async (n) => add(n, "TXT", await txt(n))),
    // MTA-STS (RFC 8461 §3.1), TLS reporting (RFC 8460 §3), BIMI's default selector.
    ...[`_mta-sts.${domain}`, `_smtp._tls.${domain}`, `default._bimi.${domain}`].map(async (n) => add(n, "TXT", await txt(n))),
    ...[...reportDomains].map(async (d) => {
      const [m, a, aaaa] = await Promise.all([ask("MX", d, () => r.resolveMx(d)), ask("A", d, () => r.resolve4(d)), ask("AAAA", d, () => r.resolve6(d))]);
      add(d, "MX", m.map(mxText));
      add(d, "A", a);
      add(d, "AAAA", aaaa);
    }),
    // DANE (RFC 7672 §2.2.3): TLSA at _25._tcp.<host>, and whether the answer is signed.
    ...hosts.map(async (host) => {
      if (!r.resolveTlsa) return;
      const name = tlsaName(host);
      const answers = await ask("TLSA", name, () => (r.resolveTlsa as NonNullable<DnsResolver["resolveTlsa"]>)(name));
      add(name, "TLSA", answers.map((t) => formatTlsa(t)));
      const signed = answers.map((t) => t.signed).find((x) => x !== undefined);
      if (signed !== undefined) dnssec[name] = signed;
    }),
    ...hosts.map(async (host) => {
      const ips = await addresses(host);
      mailHostAddresses.push(...ips);
      await Promise.all(ips.map(ptrOf));
    }),
    ...(opts.expected ?? []).map((e) => expectedRecord(e, r, ask, add, txt)),
  ]);

  const dnsbl: DnsblResult[] = [];
  const zones = opts.dnsbl ?? [];
  await Promise.all([...new Set(mailHostAddresses)].flatMap((ip) => zones.map(async (z) => dnsbl.push(await checkDnsbl(r, ip, z)))));

  const view = createView(mergeSets(records), {
    zones: [domain],
    live: true,
    facts: {
      questions,
      mailDomains: [domain],
      dmarcPolicy: { [domain]: dmarcPolicy },
      ...(zones.length ? { dnsbl: dnsbl.sort((a, b) => `${a.address} ${a.zone}`.localeCompare(`${b.address} ${b.zone}`)) } : {}),
      ...(opts.expected ? { expected: opts.expected } : {}),
      ...(Object.keys(dnssec).length ? { dnssec } : {}),
    },
  });
  return collectFacts(view, { resolver: r });
}

type Ask = <T>(type: string, name: string, q: () => Promise<T[]>) => Promise<T[]>;

async function expectedRecord(e: { name: string; type: string }, r: DnsResolver, ask: Ask, add: (n: string, t: string, v: string[]) => void, txt: (n: string) => Promise<string[]>): Promise<void> {
  const name = canonicalName(e.name);
  const names = (list: string[]) => list.map((n) => `${canonicalName(n)}.`);
  switch (e.type) {
    case "A": add(name, "A", await ask("A", name, () => r.resolve4(name))); break;
    case "AAAA": add(name, "AAAA", await ask("AAAA", name, () => r.resolve6(name))); break;
    case "TXT": add(name, "TXT", await txt(name)); break;
    case "PTR": add(name, "PTR", names(await ask("PTR", name, () => r.resolvePtr(name)))); break;
    case "CNAME": add(name, "CNAME", names(await ask("CNAME", name, () => r.resolveCname(name)))); break;
    case "MX": add(name, "MX", (await ask("MX", name, () => r.resolveMx(name))).map(mxText)); break;
    case "TLSA": if (r.resolveTlsa) add(name, "TLSA", (await ask("TLSA", name, () => (r.resolveTlsa as NonNullable<DnsResolver["resolveTlsa"]>)(name))).map((t) => formatTlsa(t))); break;
    default: break;
  }
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

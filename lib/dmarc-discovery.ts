import { isDmarcRecord } from "./dmarc";
import { canonicalName, organizationalDomain } from "./names";

/**
 * How receivers find the DMARC policy of a domain, both ways they do today:
 *
 * - RFC 7489 §6.6.3: `_dmarc.<domain>`; when it holds no DMARC record,
 *   `_dmarc.<organisational domain>` (from the Public Suffix List, through
 *   the maintained `tldts` package). Several records end discovery.
 * - RFC 9989 (DMARCbis) tree walk: `_dmarc.<domain>`, then parent by parent
 *   (a name of 8 or more labels is first cut to 7) up to the top-level
 *   domain; the first name with exactly one DMARC record gives the policy.
 */
export interface FoundPolicy {
  /** Owner name of the record, e.g. `_dmarc.example.com`. */
  name: string;
  record: string;
}

export interface DmarcDiscovery {
  domain: string;
  rfc7489?: FoundPolicy;
  rfc9989?: FoundPolicy;
  /** Questions that failed ("_dmarc.x TXT: SERVFAIL"): a policy may exist there. */
  failed: string[];
}

/** The TXT values at a name, or why the question failed. */
export type TxtLookup = (name: string) => Promise<{ values: string[]; failure?: string }>;

export async function discoverDmarc(domainInput: string, lookup: TxtLookup): Promise<DmarcDiscovery> {
  const domain = canonicalName(domainInput);
  const failed: string[] = [];
  const at = async (d: string): Promise<{ records: string[]; ok: boolean }> => {
    const name = `_dmarc.${d}`;
    const r = await lookup(name);
    if (r.failure) failed.push(`${name} TXT: ${r.failure}`);
    return { records: r.values.filter(isDmarcRecord), ok: !r.failure };
  };
  const out: DmarcDiscovery = { domain, failed };

  const own = await at(domain);
  if (own.records.length === 1) {
    const found = { name: `_dmarc.${domain}`, record: own.records[0] as string };
    return { ...out, rfc7489: found, rfc9989: found };
  }

  // RFC 7489: several records end discovery; none sends it to the organisational domain.
  const org = organizationalDomain(domain);
  if (own.ok && own.records.length === 0 && org && org !== domain) {
    const o = await at(org);
    if (o.records.length === 1) out.rfc7489 = { name: `_dmarc.${org}`, record: o.records[0] as string };
  }

  // RFC 9989 tree walk.
  let labels = domain.split(".");
  labels = labels.length >= 8 ? labels.slice(labels.length - 7) : labels.slice(1);
  while (labels.length >= 1) {
    const d = labels.join(".");
    const r = await at(d);
    if (r.records.length === 1) {
      out.rfc9989 = { name: `_dmarc.${d}`, record: r.records[0] as string };
      break;
    }
    labels = labels.slice(1);
  }
  return out;
}

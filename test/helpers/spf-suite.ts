import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { StaticRecords } from "../../lib/resolver";

/**
 * Loader for the openspf RFC 7208 test suite (test/fixtures/spf). Its
 * zonedata follows the suite's driver conventions: "TIMEOUT" makes queries
 * for types the name has no data of time out; SPF-type records stand in for
 * TXT unless the name lists TXT itself ("TXT: NONE" means: no TXT at all).
 */
export interface SuiteCase {
  section: string;
  name: string;
  spec: string;
  helo: string;
  host: string;
  mailfrom: string;
  result: string[];
  explanation?: string;
}

export interface SuiteSection {
  description: string;
  cases: SuiteCase[];
  zone: Record<string, StaticRecords>;
}

type Entry = string | Record<string, unknown>;

export function loadSuite(file = join(__dirname, "../fixtures/spf/rfc7208-tests.yml")): SuiteSection[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  return docs.map((d) => {
    const doc = d.toJS() as {
      description: string;
      tests: Record<string, Record<string, unknown>>;
      zonedata: Record<string, Entry[]>;
    };
    const cases = Object.entries(doc.tests).map(([name, t]) => ({
      section: doc.description,
      name,
      spec: String(t.spec),
      helo: String(t.helo),
      host: String(t.host),
      mailfrom: String(t.mailfrom),
      result: Array.isArray(t.result) ? (t.result as string[]) : [String(t.result)],
      explanation: t.explanation === undefined ? undefined : String(t.explanation),
    }));
    return { description: doc.description, cases, zone: toZone(doc.zonedata) };
  });
}

function toZone(zonedata: Record<string, Entry[]>): Record<string, StaticRecords> {
  const zone: Record<string, StaticRecords> = {};
  for (const [name, entries] of Object.entries(zonedata)) {
    const r: StaticRecords = {};
    const spf: (string | string[])[] = [];
    let txtListed = false;
    for (const e of entries) {
      if (e === "TIMEOUT") {
        r.timeout = true;
        continue;
      }
      const [type, value] = Object.entries(e as Record<string, unknown>)[0] as [string, unknown];
      switch (type) {
        case "A": (r.A ??= []).push(String(value)); break;
        case "AAAA": (r.AAAA ??= []).push(String(value)); break;
        case "PTR": (r.PTR ??= []).push(String(value)); break;
        case "CNAME": r.CNAME = String(value); break;
        case "MX": {
          const [priority, exchange] = value as [number, string];
          (r.MX ??= []).push({ priority, exchange });
          break;
        }
        case "SPF": spf.push(value as string | string[]); break;
        case "TXT":
          txtListed = true;
          if (value !== "NONE") (r.TXT ??= []).push(value as string | string[]);
          break;
        default: throw new Error(`unknown zonedata type ${type}`);
      }
    }
    if (!txtListed && spf.length > 0) r.TXT = spf;
    zone[name] = r;
  }
  return zone;
}

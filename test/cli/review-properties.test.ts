import fc from "fast-check";
import { analyse, diffRows } from "../../cli/review/analyse";
import { formatJson, formatMarkdown, formatText } from "../../cli/review/format";
import { planFromJson } from "../../cli/review/plan";
import { MailDnsError } from "../../lib/errors";
import { createView, ViewRecord } from "../../lib/view";

/** Properties of `maildns review`: nothing that differs is left out, and no input makes it crash. */
const names = fc.constantFrom("example.com", "mx1.example.com", "_dmarc.example.com", "s1._domainkey.example.com", "10.2.0.192.in-addr.arpa", "other.example.org");
const values = fc.constantFrom(
  "v=spf1 ip4:192.0.2.10 -all", "v=spf1 include:example.net ~all", "v=DMARC1; p=reject", "v=DMARC1; p=none", "10 mx1.example.com.", "20 mx2.example.com.",
  "192.0.2.10", "192.0.2.11", "mx1.example.com.", `v=DKIM1; k=rsa; p=${"A".repeat(300)}`, `v=DKIM1; k=rsa; p=${"B".repeat(300)}`, "site-verification=x",
);
const record = fc.record({ name: names, type: fc.constantFrom("TXT", "MX", "A", "PTR"), ttl: fc.constantFrom(300, 3600), values: fc.uniqueArray(values, { minLength: 1, maxLength: 3 }) });
const recordSets = fc.uniqueArray(record, { selector: (r) => `${r.name} ${r.type}`, maxLength: 8 });

describe("review properties", () => {
  test("every record set that differs between two views is a row, and every row is in the Markdown", () => {
    fc.assert(
      fc.property(recordSets, recordSets, (b, a) => {
        const before = createView(b as ViewRecord[]);
        const after = createView(a as ViewRecord[]);
        const rows = diffRows(before, after);
        const key = (r: { name: string; type: string }) => `${r.name} ${r.type}`;
        const sorted = (v: string[]) => [...v].sort().join("\n");
        const differs = new Set(
          [...b, ...a].map(key).filter((k) => {
            const x = b.find((r) => key(r) === k);
            const y = a.find((r) => key(r) === k);
            return !x || !y || x.ttl !== y.ttl || sorted(x.values) !== sorted(y.values);
          }),
        );
        expect(new Set(rows.map(key))).toEqual(differs);
        const toState = (list: typeof b, i: number) => ({ urn: `urn:pulumi:s::p::x:y:Z::r${i}`, type: "pulumi-nodejs:dynamic/maildns:Rfc2136Records", inputs: { zone: "example.com", rrsets: list } });
        const doc = { steps: [{ op: "update", urn: "urn:pulumi:s::p::x:y:Z::r0", oldState: toState(b, 0), newState: toState(a, 0) }] };
        const review = analyse(planFromJson(doc, "p.json"), { maxDeleteShare: 0.3 });
        const md = formatMarkdown(review, 1_000_000);
        for (const r of rows) expect(md).toContain(`| ${r.name} | ${r.type} |`);
      }),
      { numRuns: 300 },
    );
  });

  test("any JSON document: a review or a MailDnsError naming the input, never a crash", async () => {
    const step = fc.record(
      {
        op: fc.oneof(fc.constantFrom("same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "refresh"), fc.jsonValue()),
        urn: fc.oneof(fc.constant("urn:pulumi:s::p::cloudflare:index/dnsRecord:DnsRecord::a"), fc.string(), fc.jsonValue()),
        oldState: fc.oneof(fc.jsonValue(), fc.record({ urn: fc.string(), type: fc.constantFrom("cloudflare:index/dnsRecord:DnsRecord", "aws:route53/record:Record", "pulumi-nodejs:dynamic/maildns:ZoneFileRecords"), inputs: fc.dictionary(fc.constantFrom("name", "type", "content", "records", "rrsets", "origin", "zoneId", "priority"), fc.jsonValue()) })),
        newState: fc.oneof(fc.jsonValue(), fc.record({ urn: fc.string(), type: fc.constantFrom("cloudflare:index/dnsRecord:DnsRecord", "aws:route53/record:Record", "pulumi-nodejs:dynamic/maildns:ZoneFile"), inputs: fc.dictionary(fc.constantFrom("name", "type", "content", "records", "rrsets", "origin", "zoneId", "ttl"), fc.jsonValue()) })),
      },
      { requiredKeys: [] },
    );
    const doc = fc.oneof(fc.jsonValue(), fc.record({ steps: fc.oneof(fc.array(step, { maxLength: 6 }), fc.jsonValue()), changeSummary: fc.jsonValue(), diagnostics: fc.jsonValue() }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(doc, async (d) => {
        try {
          const review = analyse(planFromJson(d, "p.json"), { maxDeleteShare: 0.3 });
          expect(typeof formatMarkdown(review)).toBe("string");
          expect(typeof formatText(review)).toBe("string");
          expect(typeof formatJson(review)).toBe("string");
        } catch (e) {
          if (!(e instanceof MailDnsError)) throw e;
          expect(e.message).toContain("p.json");
        }
      }),
      { numRuns: 2000 },
    );
  });
});

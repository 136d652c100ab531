import fc from "fast-check";
import { formatReport } from "../../cli/verify";
import { liveView } from "../../lib/live";
import { DnsResolver } from "../../lib/resolver";
import { runRules } from "../../lib/rules";

/**
 * Whatever a resolver answers — any JSON value, any thrown value, any error
 * code — the live view builder and the rules never throw: 10,000 runs.
 */
const codes = ["ENODATA", "ENOTFOUND", "ESERVFAIL", "ETIMEOUT", "EREFUSED", "ECONNREFUSED", "EBADRESP", "EWHATEVER"];
const names = fc.constantFrom("mx.example.com", "example.com", "_dmarc.example.com", "x", "", ".", "192.0.2.1", "ex ample.com", "a..b", "mx.example.com.", "ÿ.example");
const txtish = fc.constantFrom("v=spf1 mx a include:x.example.net -all", "v=DMARC1; p=reject; rua=mailto:d@r.example.net", "v=DKIM1; k=rsa; p=AAAA", "p=reject; v=DMARC1", "v=spf1mx", "v=spf1 redirect=example.com");
const answer: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.array(fc.oneof(names, fc.ipV4(), fc.ipV6(), fc.string())),
  fc.array(fc.array(fc.oneof(txtish, fc.string()))),
  fc.array(fc.record({ exchange: fc.oneof(names, fc.jsonValue()), priority: fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.jsonValue()) }, { requiredKeys: [] })),
);
const outcome = fc.oneof(
  answer.map((a) => ({ answer: a })),
  fc.constantFrom(...codes).map((code) => ({ error: Object.assign(new Error(code), { code }) })),
  fc.anything().map((thrown) => ({ error: thrown })),
);

function resolverFrom(table: { answer?: unknown; error?: unknown }[]): DnsResolver {
  let n = 0;
  const next = async (): Promise<never> => {
    const o = table[n++ % table.length] ?? { answer: [] };
    if ("error" in o) throw o.error;
    return o.answer as never;
  };
  return { resolveTxt: next, resolve4: next, resolve6: next, resolveMx: next, resolvePtr: next, resolveCname: next };
}

describe("the live view never throws on what a resolver answers", () => {
  test("liveView + every rule + the report, 10,000 runs", async () => {
    let withRecords = 0;
    let withFindings = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { minLength: 1, maxLength: 12 }), fc.constantFrom("example.com", "mx.example.com", "a.b.example.co.uk"), async (table, domain) => {
        const view = await liveView(domain, { resolver: resolverFrom(table), selectors: ["s1"], dnsbl: ["bl.example"], expected: [{ name: domain, type: "MX", values: ["10 mx.example.com."] }] });
        const findings = runRules(view);
        if (view.records.length > 0) withRecords++;
        if (findings.some((f) => !f.unverified)) withFindings++;
        formatReport({ domain, server: "test", checked: true, findings, passed: [], errors: 0, warnings: 0, unverified: 0 });
        return Array.isArray(findings);
      }),
      { numRuns: 10_000 },
    );
    // The runs reach the rules with records in the view, not only failures.
    expect(withRecords).toBeGreaterThan(1000);
    expect(withFindings).toBeGreaterThan(1000);
  }, 120_000);
});

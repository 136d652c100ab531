import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint, resourcesFromJson } from "../../cli/lint";
import { MailDnsError } from "../../lib/errors";
import { RESOURCE_TYPES, StackResource, UNKNOWN_SENTINEL } from "../../policies/resources";

/**
 * `maildns lint` on any JSON document: the resources it read, each well formed,
 * or a MailDnsError naming what is wrong; never another exception.
 */
const FILE = "doc.json";
const dir = mkdtempSync(join(tmpdir(), "maildns-lint-prop-"));

const json = fc.jsonValue({ maxDepth: 3 });

const TYPES = [...Object.values(RESOURCE_TYPES).flat(), "aws:ec2/eip:Eip", "pulumi:pulumi:Stack", "pulumi:providers:aws"];
const OPS = ["create", "update", "same", "delete", "discard", "replace", "create-replacement", "delete-replaced", "read", "refresh", "import"];
const PROP_KEYS = ["name", "type", "content", "value", "records", "priority", "ttl", "proxied", "origin", "zone", "allocationId", "id", "publicIp", "domainName"];
const text = fc.oneof(
  fc.constantFrom("example.com", "mx.example.com", "_dmarc.example.com", "s1._domainkey.example.com", "@", ".", "TXT", "MX", "A", "CNAME", "PTR", "192.0.2.1", UNKNOWN_SENTINEL),
  fc.constantFrom("v=spf1 -all", "v=spf1 include:_spf.example.org ~all", "v=DMARC1; p=none", "v=DKIM1; k=rsa; p=MIIB", '"v=spf1 " "-all"', "10 mx.example.com."),
  fc.string(),
);
const propValue = fc.oneof(text, fc.array(fc.oneof(text, json), { maxLength: 4 }), fc.integer(), fc.boolean(), json);
const urn = fc.oneof(fc.string(), fc.constantFrom("urn:pulumi:dev::p::aws:route53/record:Record::mx", "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", "::", ""));

/**
 * Preview-like and export-like documents. With `junk`, any slot may hold any
 * JSON value instead (or be left out); without, only the resources' property
 * values are arbitrary.
 */
function documents(junk: boolean): fc.Arbitrary<unknown> {
  const slot = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => (junk ? fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: json }) : good);
  const record = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, junk ? { requiredKeys: [] } : undefined);
  const rrset = fc.record({ owner: slot(text), name: slot(text), type: slot(text), ttl: slot(fc.integer()), rdata: slot(fc.array(text)), values: slot(fc.array(text)) }, { requiredKeys: [] });
  const props = fc.oneof(
    fc.dictionary(fc.constantFrom(...PROP_KEYS), propValue, { maxKeys: 8 }),
    fc.record({ origin: slot(text), zone: slot(text), rrset: slot(rrset) }, { requiredKeys: [] }),
    fc.dictionary(fc.string(), json, { maxKeys: 4 }),
  );
  const state = record({ type: slot(fc.oneof(fc.constantFrom(...TYPES), fc.string())), urn: slot(urn), inputs: slot(props), outputs: slot(props), custom: json });
  const step = record({ op: slot(fc.constantFrom(...OPS)), urn: slot(urn), newState: slot(state), oldState: slot(state), detailedDiff: json });
  const message = fc.oneof(fc.string(), fc.constant("error: Running program failed:\nError: boom\n  at x"));
  const diagnostic = record({ urn: slot(urn), message: slot(message), severity: slot(fc.constantFrom(junk ? "error" : "warning", "warning", "info", "info#err")) });
  const preview = record({
    config: slot(fc.dictionary(fc.string(), fc.string())),
    steps: slot(fc.array(slot(step), { minLength: junk ? 0 : 1, maxLength: 6 })),
    diagnostics: slot(fc.array(slot(diagnostic), { maxLength: 3 })),
    duration: slot(fc.nat()),
    changeSummary: slot(fc.dictionary(fc.constantFrom(...OPS), fc.nat())),
  });
  const deployment = record({ manifest: json, resources: slot(fc.array(slot(state), { minLength: junk ? 0 : 1, maxLength: 6 })) });
  const stackExport = record({ version: slot(fc.constant(3)), deployment: slot(deployment) });
  return fc.oneof(preview, stackExport);
}

const anyDocument = fc.oneof(json, documents(true), documents(false));

const isPlainObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
function expectWellFormed(rs: unknown): void {
  expect(Array.isArray(rs)).toBe(true);
  for (const r of rs as StackResource[]) {
    expect(typeof r.type).toBe("string");
    expect(typeof r.urn).toBe("string");
    expect(typeof r.name).toBe("string");
    expect(isPlainObject(r.props)).toBe(true);
  }
}
function expectReadError(e: unknown, file: string): void {
  if (!(e instanceof MailDnsError)) throw e;
  expect(e).toMatchObject({ code: "invalid-config", field: "file", value: file });
  expect(e.message).not.toMatch(/\n/);
}

describe("maildns lint on any JSON document", () => {
  test("resourcesFromJson returns well-formed resources or throws a MailDnsError", () => {
    fc.assert(
      fc.property(anyDocument, (doc) => {
        let rs: unknown;
        try {
          rs = resourcesFromJson(doc, FILE);
        } catch (e) {
          expectReadError(e, FILE);
          return;
        }
        expectWellFormed(rs);
      }),
      { numRuns: 10000 },
    );
  });

  test("a well-formed document gives one resource per state, none skipped", () => {
    const good = fc.record({ type: fc.string(), urn: fc.string(), inputs: fc.dictionary(fc.string(), json, { maxKeys: 3 }) });
    const exportDoc = fc.array(good, { minLength: 1, maxLength: 5 }).map((rs) => ({ doc: { version: 3, deployment: { resources: rs } }, urns: rs.map((r) => r.urn) }));
    const previewDoc = fc.array(good, { minLength: 1, maxLength: 5 }).map((rs) => ({ doc: { steps: rs.map((r) => ({ op: "create", urn: r.urn, newState: r })) }, urns: rs.map((r) => r.urn) }));
    fc.assert(
      fc.property(fc.oneof(exportDoc, previewDoc), ({ doc, urns }) => {
        expect(resourcesFromJson(doc, FILE).map((r) => r.urn)).toEqual(urns);
      }),
      { numRuns: 2000 },
    );
  });

  test("lint (offline) resolves or rejects with a MailDnsError, whatever the document", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyDocument, async (doc) => {
        const file = join(dir, `doc-${n++}.json`);
        writeFileSync(file, JSON.stringify(doc));
        try {
          const r = await lint(file, { offline: true });
          expect(r.mandatory).toBe(r.violations.filter((v) => v.level === "mandatory").length);
        } catch (e) {
          if (!(e instanceof MailDnsError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

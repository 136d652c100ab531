import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CAPABILITIES } from "../../zones/capabilities";
import { capabilityMatrix, CAPABILITY_DOCS } from "../../zones/docs";

describe("capability table", () => {
  test("every provider declares every capability, yes or no", () => {
    const caps = Object.keys(CAPABILITY_DOCS).sort();
    for (const [provider, table] of Object.entries(CAPABILITIES)) {
      expect([provider, Object.keys(table).sort()]).toEqual([provider, caps]);
      for (const v of Object.values(table)) expect(["yes", "no"]).toContain(v);
    }
  });
  test("every provider publishes TLSA, with where that is documented in docs/providers.md", () => {
    for (const table of Object.values(CAPABILITIES)) expect(table.tlsa).toBe("yes");
    const doc = readFileSync(join(__dirname, "../../docs/providers.md"), "utf8");
    for (const source of ["DnsRecordData", "aws.route53.Record", "named-checkzone", "RFC 6698 §2.1"]) expect(doc).toContain(source);
  });
  test("docs/providers.md carries the generated matrix", () => {
    const doc = readFileSync(join(__dirname, "../../docs/providers.md"), "utf8");
    expect(doc).toContain(capabilityMatrix());
  });
});

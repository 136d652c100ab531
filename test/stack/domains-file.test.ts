import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MailDnsError } from "../../lib/errors";
import { readDomainsFile } from "../../stack/domains-file";
import { fleetGroups } from "../../stack/fleet";
import { parseStackConfig } from "../../stack/schema";

const dir = mkdtempSync(join(tmpdir(), "maildns-domains-file-"));
const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), name);
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof MailDnsError ? e.message : `not a MailDnsError: ${String(e)}`;
  }
  return "no error";
};

describe("maildns:domainsFile", () => {
  const yaml = write("domains.yaml", "defaults:\n  dns: { provider: zonefile }\ndomains:\n  - domain: a.example.com\n    group: g1\n  - domain: b.example.com\n    group: g2\n  - domain: c.example.com\n    group: g1\n");
  test("YAML or JSON with defaults and domains; `group` is the fleet's, not a domain setting", () => {
    const f = readDomainsFile(yaml, dir);
    expect(f.domains).toEqual([{ domain: "a.example.com" }, { domain: "b.example.com" }, { domain: "c.example.com" }]);
    expect(readDomainsFile(write("d.json", JSON.stringify({ domains: [{ domain: "x.example.com" }] })), dir).domains).toEqual([{ domain: "x.example.com" }]);
  });
  test("maildns:domainsGroup picks one group", () => {
    expect(readDomainsFile(yaml, dir, "g1").domains).toEqual([{ domain: "a.example.com" }, { domain: "c.example.com" }]);
    expect(reason(() => readDomainsFile(yaml, dir, "g9"))).toBe('maildns:domainsGroup = "g9": no domain of the domains file has group "g9"');
  });
  test("errors name the file and the key", () => {
    expect(reason(() => readDomainsFile("missing.yaml", dir))).toBe('maildns:domainsFile = "missing.yaml": cannot read the domains file: no such file');
    expect(reason(() => readDomainsFile(write("bad.yaml", "domains: [\n"), dir))).toMatch(/^maildns:domainsFile = "bad\.yaml": the domains file is not YAML or JSON: /);
    expect(reason(() => readDomainsFile(write("list.yaml", "- a\n"), dir))).toBe('maildns:domainsFile = "list.yaml": the domains file holds an object with a "domains" list (and optionally "defaults")');
    // A mistake in an entry names the file and the entry, as the stack file's keys are named.
    const f = readDomainsFile(write("typo.yaml", "domains:\n  - domain: a.example.com\n    dmarc: { p: block }\n"), dir);
    expect(reason(() => parseStackConfig({ dns: { provider: "zonefile" } }, f.domains, "typo.yaml: domains"))).toMatch(/^typo\.yaml: domains\[0\]\.dmarc\.p = "block": /);
  });
  test("a fleet's groups, in order; every domain needs one", () => {
    expect(fleetGroups(dir, yaml)).toEqual(["g1", "g2"]);
    expect(reason(() => fleetGroups(dir, write("nogroup.yaml", "domains:\n  - domain: a.example.com\n")))).toBe("nogroup.yaml: domains[0].group: each domain of a fleet has a group (letters, digits, _ . -): the stack it belongs to");
  });
});

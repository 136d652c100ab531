import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MailDnsError } from "../../lib/errors";
import { readDomainsFile } from "../../stack/domains-file";
import { fleetGroups } from "../../stack/fleet";
import { planStack } from "../../stack/program";
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
  test("in a group, errors name the entry's position in the file, not in the group", () => {
    const grouped = write(
      "grouped.yaml",
      "domains:\n  - domain: a.example.com\n    group: g1\n  - domain: b.example.com\n    group: g2\n    mailHosts: [{ name: mx1, ipv4: [192.0.2.1] }]\n  - domain: c.example.com\n    group: g2\n    mailHosts: [{ name: mx1, ipv4: [192.0.2.333] }]\n  - domain: d.example.com\n    group: g2\n    dmarc: { p: block }\n  - domain: B.example.com.\n    group: g2\n",
    );
    const defaults = { dns: { provider: "zonefile" } };
    const g2 = readDomainsFile(grouped, dir, "g2");
    expect(g2.positions).toEqual([1, 2, 3, 4]);
    // Checked by the schema: d.example.com is the file's domains[3] (the group's second entry after the first).
    expect(reason(() => parseStackConfig(defaults, g2.domains, "grouped.yaml: domains", g2.positions))).toMatch(/^grouped\.yaml: domains\[3\]\.dmarc\.p = "block": /);
    // A name listed twice: both positions are the file's.
    const twice = { ...g2, domains: (g2.domains as object[]).filter((_, i) => i !== 1 && i !== 2), positions: [1, 4] };
    expect(reason(() => parseStackConfig(defaults, twice.domains, "grouped.yaml: domains", twice.positions))).toMatch(/^grouped\.yaml: domains\[4\]\.domain = "B\.example\.com\.": this domain is listed twice \(first at grouped\.yaml: domains\[1\] as "b\.example\.com", the same name\)/);
    // Checked by the stack program (the address): c.example.com is the file's domains[2].
    const addr = { ...g2, domains: (g2.domains as object[]).slice(0, 2), positions: [1, 2] };
    expect(reason(() => planStack(parseStackConfig(defaults, addr.domains, "grouped.yaml: domains", addr.positions)))).toMatch(/^grouped\.yaml: domains\[2\]\.mailHosts\[0\]\.ipv4\[0\] = "192\.0\.2\.333": /);
  });
  test("a fleet's groups, in order; every domain needs one", () => {
    expect(fleetGroups(dir, yaml)).toEqual(["g1", "g2"]);
    expect(reason(() => fleetGroups(dir, write("nogroup.yaml", "domains:\n  - domain: a.example.com\n")))).toBe("nogroup.yaml: domains[0].group: each domain of a fleet has a group (letters, digits, _ . -): the stack it belongs to");
  });
});

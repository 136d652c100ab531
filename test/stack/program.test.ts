import { byType, installMocks, promiseOf, settled } from "../helpers/mocks";
const registered = installMocks();

import { planStack, runStack } from "../../stack/program";
import { MailDnsError } from "../../lib/errors";
import { parseStackConfig } from "../../stack/schema";

describe("the stack program: many domains from one config", () => {
  test("each domain's keys and records, with no component around them; DMARC reports to another managed domain get their authorisation there", async () => {
    const config = parseStackConfig(
      { dns: { provider: "route53" }, dmarc: { p: "reject", rua: ["dmarc@reports.example"] }, dkim: [{ selector: "s1" }] },
      [
        { domain: "example.com", mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }] },
        { domain: "example.org", mx: [{ host: "mx1.example.com", preference: 10 }], spf: { include: ["example.com"] } },
        { domain: "reports.example", mx: [{ host: "mx1.example.com", preference: 10 }], dmarc: { p: "reject" } },
        { domain: "parked.example", nullMx: true, dns: { provider: "cloudflare" }, dkim: [], dmarc: { p: "reject" } },
      ],
    );
    const out = runStack(config);
    expect(Object.keys(out)).toEqual(["example.com", "example.org", "reports.example", "parked.example"]);
    await Promise.all(Object.values(out).map((o) => promiseOf(o.records)));
    await settled(registered);
    // No resource that exists only to group: the file backend rewrites its checkpoint for each one.
    expect(registered.filter((r) => r.type === "maildns:index:MailDomain")).toEqual([]);
    expect([...new Set(registered.map((r) => r.name.replace(/-(dkim|mx|txt|a|cname)-.*$/, "")))].sort()).toEqual([
      "domain-example.com", "domain-example.org", "domain-parked.example", "domain-reports.example",
    ]);
    const r53 = Object.values(byType(registered, "aws:route53/record:Record"));
    const auth = r53.filter((r) => String(r.name).endsWith("._report._dmarc.reports.example")).map((r) => `${r.zoneId} ${r.name}`);
    expect(auth.sort()).toEqual(["Z-reports.example example.com._report._dmarc.reports.example", "Z-reports.example example.org._report._dmarc.reports.example"]);
    const cf = Object.values(byType(registered, "cloudflare:index/dnsRecord:DnsRecord")).map((r) => `${r.type} ${r.name} ${r.content}`);
    expect(cf.sort()).toEqual(['MX parked.example .', 'TXT _dmarc.parked.example "v=DMARC1; p=reject"', 'TXT parked.example "v=spf1 -all"']);
  });

  test("every domain is checked before any resource is registered: a mistake in the last one leaves nothing half-applied", async () => {
    await settled(registered);
    const before = registered.length;
    const includes = Array.from({ length: 11 }, (_, i) => `a${i}.example`);
    const config = parseStackConfig({ dns: { provider: "zonefile" }, dmarc: { p: "reject" }, dkim: [{ selector: "s1" }] }, [
      { domain: "first.example", mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }] },
      { domain: "last.example", mailHosts: [{ name: "mx1", ipv4: ["192.0.2.11"] }], spf: { include: includes } },
    ]);
    let thrown: unknown;
    try {
      planStack(config);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MailDnsError);
    expect((thrown as MailDnsError).field).toBe("maildns:domains[1]");
    expect((thrown as MailDnsError).ruleId).toBe("spf-lookup-limit");
    await settled(registered);
    expect(registered.length).toBe(before);
    // Without the mistake, planning registers nothing either: the returned function does.
    const register = planStack(parseStackConfig({ dns: { provider: "zonefile" }, dmarc: { p: "reject" }, dkim: [{ selector: "s1" }] }, [
      { domain: "first.example", mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }] },
    ]));
    await settled(registered);
    expect(registered.length).toBe(before);
    const out = register();
    expect(Object.keys(out)).toEqual(["first.example"]);
    await Promise.all(Object.values(out).map((o) => promiseOf(o.records)));
    await settled(registered);
    // One resource: the zone file holds the records and generates the domain's DKIM key itself.
    expect(registered.slice(before).map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/maildns:ZoneFile"]);
  });

  test("a misspelt rule id names its entry: the domain's rules.disabled[i], or the defaults' when the domain has none", () => {
    const fieldOf = (defaults: object, domain: object) => {
      try {
        planStack(parseStackConfig({ dns: { provider: "zonefile" }, ...defaults }, [{ domain: "a.example", mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }], ...domain }]));
      } catch (e) {
        return `${(e as MailDnsError).field} = ${String((e as MailDnsError).value)}`;
      }
      return "no error";
    };
    expect(fieldOf({}, { rules: { disabled: ["dmarc-policy-none", "ptr-presnt"] } })).toBe("maildns:domains[0].rules.disabled[1] = ptr-presnt");
    expect(fieldOf({ rules: { disabled: ["spf-lookups"] } }, {})).toBe("maildns:defaults.rules.disabled[0] = spf-lookups");
  });
});

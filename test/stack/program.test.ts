import { byType, installMocks, promiseOf, settled } from "../helpers/mocks";
const registered = installMocks();

import { runStack } from "../../stack/program";
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
});

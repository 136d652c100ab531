import { analyse } from "../../cli/review/analyse";
import { formatText } from "../../cli/review/format";
import { planFromJson } from "../../cli/review/plan";

/** How review orders a plan's steps, and what it does with input it cannot use. */
const ZR = "pulumi-nodejs:dynamic/maildns:Rfc2136Records";
const CF = "cloudflare:index/dnsRecord:DnsRecord";
const rrsets = [
  { name: "example.com", type: "MX", ttl: 300, values: ["10 mx1.example.com."] },
  { name: "mx1.example.com", type: "A", ttl: 300, values: ["192.0.2.10"] },
  { name: "example.com", type: "TXT", ttl: 300, values: ["v=spf1 ip4:192.0.2.10 -all"] },
];
const zr = (server: string) => ({ urn: "urn:pulumi:s::p::maildns:index:MailDomain$pulumi-nodejs:dynamic/maildns:Rfc2136Records::d-records", type: ZR, inputs: { zone: "example.com", server, rrsets } });
const during = (doc: unknown) => analyse(planFromJson(doc, "p.json"), { maxDeleteShare: 0.3 }).domains[0]?.consequences.filter((c) => c.during).map((c) => `${c.ruleId} ${c.subject}`) ?? [];

describe("the order of a plan's steps", () => {
  test("maildns's own resources are replaced delete-first: the records are gone during the update", () => {
    const doc = { steps: [{ op: "replace", urn: zr("a").urn, oldState: zr("127.0.0.1:53"), newState: zr("127.0.0.2:53") }], changeSummary: { replace: 1 } };
    expect(during(doc)).toEqual(["mx-removed example.com MX", "spf-record-removed example.com TXT"]);
  });

  test("with --show-replacement-steps the order is read from the steps: create first leaves no gap", () => {
    const urn = zr("a").urn;
    const doc = {
      steps: [
        { op: "create-replacement", urn, oldState: zr("127.0.0.1:53"), newState: zr("127.0.0.2:53") },
        { op: "replace", urn, oldState: zr("127.0.0.1:53"), newState: zr("127.0.0.2:53") },
        { op: "delete-replaced", urn, oldState: zr("127.0.0.1:53") },
      ],
      changeSummary: { replace: 1 },
    };
    expect(during(doc)).toEqual([]);
  });

  test("a record created without depending on the new address it needs: an MX target without an address midway", () => {
    const rec = (name: string, type: string, content: string, extra: Record<string, unknown> = {}) => ({ urn: `urn:pulumi:s::p::${CF}::${name}-${type}-${content}`, type: CF, inputs: { name, type, content, ttl: 300, ...extra } });
    const same = [rec("example.com", "MX", "mx1.example.com", { priority: 10 }), rec("mx1.example.com", "A", "192.0.2.10"), rec("example.com", "TXT", "v=spf1 mx -all")];
    const mx2 = rec("example.com", "MX", "mx2.example.com", { priority: 20 });
    const a2 = rec("mx2.example.com", "A", "192.0.2.11");
    const steps = (deps: string[]) => [
      ...same.map((r) => ({ op: "same", urn: r.urn, oldState: r, newState: r })),
      { op: "create", urn: mx2.urn, newState: { ...mx2, dependencies: deps } },
      { op: "create", urn: a2.urn, newState: a2 },
    ];
    const zone = { urn: "urn:pulumi:s::p::cloudflare:index/zone:Zone::z", type: "cloudflare:index/zone:Zone", inputs: { zone: "example.com" } };
    const doc = (deps: string[]) => ({ steps: [{ op: "same", urn: zone.urn, oldState: zone, newState: zone }, ...steps(deps)], changeSummary: {} });
    expect(during(doc([]))).toContain("mx-target-has-address example.com MX");
    expect(during(doc([a2.urn]))).toEqual([]);
  });

  test("a plan that changes nothing counts its mail domains as unchanged, not as none", () => {
    const net = { ...zr("a"), urn: zr("a").urn.replace("d-records", "n-records"), inputs: { zone: "example.net", server: "a", rrsets: rrsets.map((r) => ({ ...r, name: r.name.replace("example.com", "example.net") })) } };
    const doc = { steps: [zr("a"), net].map((r) => ({ op: "same", urn: r.urn, oldState: r, newState: r })), changeSummary: { same: 2 } };
    const r = analyse(planFromJson(doc, "p.json"), { maxDeleteShare: 0.3 });
    expect([r.domains.length, r.unchanged]).toEqual([0, 2]);
    expect(formatText(r).split("\n")).toContain("0 of 2 mail domain(s) changed: 0 block mail, 0 need attention, 0 safe · resources: 2 same");
  });

  test("a preview without the unchanged resources is reviewed with a note, and no whole-domain rule runs on the part", () => {
    const r = analyse(planFromJson({ steps: [{ op: "update", urn: zr("a").urn, oldState: zr("a"), newState: { ...zr("a"), inputs: { ...zr("a").inputs, rrsets: rrsets.slice(1) } } }], changeSummary: { same: 12, update: 1 } }, "p.json"), { maxDeleteShare: 0.9 });
    expect(r.notes.join(" ")).toMatch(/12 unchanged left out.*--show-sames/);
    expect(r.domains[0]?.consequences.map((c) => c.ruleId)).toEqual(["mx-removed"]);
  });
});

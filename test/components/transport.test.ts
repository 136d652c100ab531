import type { Registered } from "../helpers/mocks";
import type { MailDomainArgs } from "../../components/mail-domain-args";
import { mtaStsId, parseMtaStsPolicy } from "../../lib/mta-sts";
import type { ZoneHandle } from "../../zones/zone";

/**
 * MTA-STS and TLS reporting on Cloudflare and Route 53 under mocks: exact
 * resources and inputs; the policy is rendered from the MX targets and its
 * id changes exactly when it does.
 */
type Provider = "cloudflare" | "route53";

async function declare(provider: Provider, change: Partial<MailDomainArgs> & { mx2?: boolean } = {}): Promise<{ registered: Registered[]; policy?: string }> {
  let registered: Registered[] = [];
  let run: Promise<{ registered: Registered[]; policy?: string }> = Promise.resolve({ registered });
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mocks = require("../helpers/mocks") as typeof import("../helpers/mocks");
    registered = mocks.installMocks();
    const { MailDomain } = require("../../components/mail-domain") as typeof import("../../components/mail-domain");
    const zone: ZoneHandle = provider === "cloudflare"
      ? (require("../../zones/cloudflare") as typeof import("../../zones/cloudflare")).cloudflareZone({ name: "example.com", zoneId: "zone-com" })
      : (require("../../zones/route53") as typeof import("../../zones/route53")).route53Zone({ name: "example.com", zoneId: "Z-COM" });
    /* eslint-enable @typescript-eslint/no-require-imports */
    const { mx2, ...rest } = change;
    const md = new MailDomain("example", {
      domain: "example.com", zone,
      mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }, ...(mx2 === false ? [] : [{ name: "mx2", ipv4: ["192.0.2.11"] }])],
      dmarc: { p: "reject" },
      mtaSts: { mode: "enforce", maxAge: 86400, host: { cname: "sts.hosting.example" } },
      tlsRpt: { rua: ["tls@example.com", "https://reports.example.net/tlsrpt"] },
      ...rest,
    });
    run = mocks.promiseOf(md.records).then(() => mocks.settled(registered)).then(() => ({ registered, policy: md.mtaSts?.policy }));
  });
  return run;
}

const POLICY = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n";

describe("MTA-STS and TLS reporting (mocks)", () => {
  test("Cloudflare: the _mta-sts and _smtp._tls TXT named by role (a new policy id is an in-place update), the mta-sts CNAME, exactly", async () => {
    const { registered, policy } = await declare("cloudflare");
    expect(policy).toBe(POLICY);
    expect(parseMtaStsPolicy(POLICY, "p").findings).toEqual([]);
    const recs = registered.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && /mta-sts|_smtp/.test(String(r.inputs.name)));
    expect(recs.map((r) => `${r.name} | ${r.inputs.type} ${r.inputs.name} ${r.inputs.content} ${r.inputs.proxied}`).sort()).toEqual([
      `example-cname-mta-sts.example.com-cname | CNAME mta-sts.example.com sts.hosting.example false`,
      `example-txt-_mta-sts.example.com-mta-sts | TXT _mta-sts.example.com "v=STSv1; id=${mtaStsId(POLICY)}" false`,
      `example-txt-_smtp._tls.example.com-tlsrpt | TXT _smtp._tls.example.com "v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.net/tlsrpt" false`,
    ]);
  });

  test("Route 53: one record set each, values as the provider takes them", async () => {
    const { registered } = await declare("route53", { mtaSts: { mode: "testing", maxAge: 604800, host: { ipv4: ["192.0.2.80"] } } });
    const sets = registered.filter((r) => r.type === "aws:route53/record:Record" && /mta-sts|_smtp/.test(String(r.inputs.name)));
    const policy = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n";
    expect(sets.map((r) => `${r.inputs.type} ${r.inputs.name} ${JSON.stringify(r.inputs.records)}`).sort()).toEqual([
      `A mta-sts.example.com ["192.0.2.80"]`,
      `TXT _mta-sts.example.com ["v=STSv1; id=${mtaStsId(policy)}"]`,
      `TXT _smtp._tls.example.com ["v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.net/tlsrpt"]`,
    ]);
  });

  test("changing the MX set changes the policy and its id in the same declaration; the same set keeps both", async () => {
    const a = await declare("route53");
    const b = await declare("route53", { mx2: false });
    const c = await declare("route53");
    const id = (x: { registered: Registered[] }) => JSON.stringify(x.registered.find((r) => r.inputs.name === "_mta-sts.example.com")?.inputs.records);
    expect(b.policy).toBe("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n");
    expect(id(b)).not.toBe(id(a));
    expect(id(c)).toBe(id(a));
    expect(c.policy).toBe(a.policy);
  });

  test("BIMI: the assertion record beside an enforcing DMARC, named by role on Cloudflare; refused beside p=none", async () => {
    const bimi = { logo: "https://example.com/brand/logo.svg", authority: "https://example.com/brand/vmc.pem" };
    const r53 = await declare("route53", { bimi });
    expect(r53.registered.filter((r) => String(r.inputs.name).includes("._bimi.")).map((r) => `${r.inputs.type} ${r.inputs.name} ${JSON.stringify(r.inputs.records)}`)).toEqual([
      'TXT default._bimi.example.com ["v=BIMI1; l=https://example.com/brand/logo.svg; a=https://example.com/brand/vmc.pem"]',
    ]);
    const cf = await declare("cloudflare", { bimi: { ...bimi, selector: "brand" } });
    expect(cf.registered.filter((r) => String(r.inputs.name).includes("._bimi.")).map((r) => r.name)).toEqual(["example-txt-brand._bimi.example.com-bimi"]);
    await expect(declare("route53", { bimi, dmarc: { p: "none" } })).rejects.toThrow(/bimi = "p=none".*p=quarantine or p=reject.*bimi-needs-enforcing-dmarc/);
    await expect(declare("route53", { bimi: { logo: "http://example.com/logo.svg" } })).rejects.toThrow(/bimi\.logo.*https/);
  });

  test("bad input is refused before any resource, naming the field and the RFC", async () => {
    await expect(declare("cloudflare", { mtaSts: { mode: "strict" as never } })).rejects.toThrow(/mtaSts\.mode.*RFC 8461/);
    await expect(declare("cloudflare", { mtaSts: { mode: "enforce", maxAge: 31557601 } })).rejects.toThrow(/mtaSts\.maxAge/);
    await expect(declare("cloudflare", { mtaSts: { mode: "enforce", host: { cname: "x.example.net", ipv4: ["192.0.2.1"] } } })).rejects.toThrow(/not both/);
    await expect(declare("cloudflare", { tlsRpt: { rua: ["not a uri"] } })).rejects.toThrow(/tlsRpt\.rua\[0\].*RFC 8460/);
  });
});

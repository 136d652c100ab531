import { relative } from "node:path";
import { byType, installMocks, MOCK_PUBLIC_KEY, promiseOf, settled } from "../helpers/mocks";
const registered = installMocks();

import { MailDomain } from "../../components/mail-domain";
import { cloudflareZone } from "../../zones/cloudflare";
import { quoteTxt, splitTxt } from "../../lib/txt";
import { DMARC, fullDomain, REV6_10, REV6_11, SPF } from "./full-domain";

const CF = "cloudflare:index/dnsRecord:DnsRecord";

describe("MailDomain on Cloudflare (mocks)", () => {
  let md: MailDomain;
  beforeAll(async () => {
    md = new MailDomain("example", fullDomain({
      zone: cloudflareZone({ name: "example.com", zoneId: "zone-com" }),
      report: cloudflareZone({ name: "example.net" }), // looked up by name
      rev4: cloudflareZone({ name: "2.0.192.in-addr.arpa", zoneId: "zone-rev4" }),
      rev6: cloudflareZone({ name: "8.b.d.0.1.0.0.2.ip6.arpa", zoneId: "zone-rev6" }),
    }));
    await promiseOf(md.records);
    await settled(registered);
  });

  test("registers exactly these DNS records, one per value, never proxied", () => {
    const recs = Object.values(byType(registered, CF)).map((i) => `${i.zoneId} ${i.type} ${i.name} ${i.priority ?? "-"} ${i.ttl} ${i.proxied} ${i.content}`);
    const dkimValue = `v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}`;
    expect(recs.sort()).toEqual([
      "cf-example.net TXT example.com._report._dmarc.example.net - 3600 false \"v=DMARC1\"",
      "zone-com A mx1.example.com - 3600 false 192.0.2.10",
      "zone-com A mx2.example.com - 3600 false 192.0.2.11",
      "zone-com AAAA mx1.example.com - 3600 false 2001:db8::10",
      "zone-com AAAA mx2.example.com - 3600 false 2001:db8::11",
      "zone-com MX example.com 10 3600 false mx1.example.com",
      "zone-com MX example.com 20 3600 false mx2.example.com",
      `zone-com TXT _dmarc.example.com - 3600 false "${DMARC}"`,
      `zone-com TXT example.com - 3600 false "${SPF}"`,
      "zone-com TXT example.com - 3600 false \"google-site-verification=abc123\"",
      "zone-com TXT s2025._domainkey.example.com - 3600 false \"v=DKIM1; k=rsa; p=\"",
      `zone-com TXT s2026._domainkey.example.com - 3600 false ${quoteTxt(splitTxt(dkimValue))}`,
      `zone-rev4 PTR 10.2.0.192.in-addr.arpa - 3600 false mx1.example.com`,
      `zone-rev4 PTR 11.2.0.192.in-addr.arpa - 3600 false mx2.example.com`,
      `zone-rev6 PTR ${REV6_10} - 3600 false mx1.example.com`,
      `zone-rev6 PTR ${REV6_11} - 3600 false mx2.example.com`,
    ].sort());
  });

  test("the 2048-bit DKIM record is two quoted strings of at most 255 octets, as Cloudflare stores it", () => {
    const dkim = Object.values(byType(registered, CF)).find((i) => i.name === "s2026._domainkey.example.com");
    const content = dkim?.content as string;
    const parts = content.match(/"[^"]*"/g) ?? [];
    expect(parts).toHaveLength(2);
    expect(parts[0]?.length).toBe(257);
    expect(content).toBe(`${parts[0]} ${parts[1]}`);
    expect(parts.map((p) => p.slice(1, -1)).join("")).toBe(`v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}`);
  });

  test("the resource tree: MailDomain, a DkimKey per generated selector (the key pair itself, nothing else) with its small __provider module", () => {
    expect(registered.filter((r) => r.type === "maildns:index:MailDomain").map((r) => r.name)).toEqual(["example"]);
    expect(registered.filter((r) => r.type === "maildns:index:DkimKey")).toEqual([]);
    const pair = registered.find((r) => r.type === "pulumi-nodejs:dynamic/maildns:DkimKeyPair");
    expect(pair?.name).toBe("example-dkim-s2026");
    expect(pair?.inputs).toMatchObject({ selector: "s2026", keyBits: 2048, allowWeakKey: false });
    // __provider is a one-line module: the implementation's path and the kind, no code of maildns
    const source = pair?.inputs.__provider as string;
    expect(source).toContain(JSON.stringify(`./${relative(process.cwd(), require.resolve("../../zones/providers"))}`));
    expect(source).toContain('["dkimKey"]');
    expect(source).not.toMatch(/node-forge|generateKeyPair|MailDnsError/);
    expect(source.length).toBeLessThan(600);
    // The retired selector s2025 keeps its key pair (revoked in DNS) until it is removed from the config.
    expect(registered.filter((r) => r.type === "pulumi-nodejs:dynamic/maildns:DkimKeyPair").map((r) => r.name).sort()).toEqual(["example-dkim-s2025", "example-dkim-s2026"]);
    expect(registered).toHaveLength(16 + 3);
  });

  test("outputs: records as plain data, DKIM records, private keys as a secret", async () => {
    const records = await promiseOf(md.records);
    expect(records.find((r) => r.name === "example.com" && r.type === "MX")?.values).toEqual(["10 mx1.example.com.", "20 mx2.example.com."]);
    expect((await promiseOf(md.dkimRecords)).map((d) => d.selector)).toEqual(["s2026", "s2025"]);
    expect(await md.dkimPrivateKeys.isSecret).toBe(true);
    expect(Object.keys(await promiseOf(md.dkimPrivateKeys)).sort()).toEqual(["s2025", "s2026"]);
  });
});

import { generateKeyPairSync } from "node:crypto";
import { installMocks } from "../helpers/mocks";
const registered = installMocks();

import { MailDomainArgs } from "../../components/mail-domain-args";
import { MailDomain, checkPlan } from "../../components/mail-domain";
import { planMailDomain } from "../../components/mail-domain-plan";
import { MailDnsError } from "../../lib/errors";
import { cloudflareZone } from "../../zones/cloudflare";
import { route53Zone } from "../../zones/route53";

const zone = cloudflareZone({ name: "example.com", zoneId: "z1" });
const rev4 = cloudflareZone({ name: "2.0.192.in-addr.arpa", zoneId: "z2" });
const base: MailDomainArgs = { domain: "example.com", zone, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }] };
const weak = generateKeyPairSync("rsa", { modulusLength: 512 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
const includes = Array.from({ length: 11 }, (_, i) => `i${i}.example.net`);

/** [what, args, code, rule id, field] */
const cases: [string, MailDomainArgs, string, string | undefined, string | undefined][] = [
  ["bad domain name", { ...base, domain: "bad..example.com" }, "invalid-name", "name-syntax", "domain"],
  ["domain outside its zone", { ...base, domain: "example.org" }, "invalid-config", undefined, "zone"],
  ["bad host name", { ...base, mailHosts: [{ name: "mx_1", ipv4: ["192.0.2.10"] }] }, "invalid-name", "name-syntax", "mailHosts[0].name"],
  ["bad IPv4", { ...base, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.300"] }] }, "invalid-address", undefined, "mailHosts[0].ipv4[0]"],
  ["IPv4 in the IPv6 list", { ...base, mailHosts: [{ name: "mx1", ipv6: ["192.0.2.1"] }] }, "invalid-address", undefined, "mailHosts[0].ipv6[0]"],
  ["host without addresses", { ...base, mailHosts: [{ name: "mx1" }] }, "invalid-config", "mx-target-has-address", "mailHosts[0]"],
  ["MX preference out of range", { ...base, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"], preference: 70000 }] }, "invalid-mx", undefined, "mailHosts[0].preference"],
  ["MX target is an address", { ...base, mailHosts: [], mx: [{ host: "192.0.2.1", preference: 10 }] }, "invalid-mx", "mx-not-ip-literal", "mx[0].host"],
  ["null MX beside mail hosts", { ...base, nullMx: true }, "invalid-config", "null-mx-alone", "nullMx"],
  ["no MX of any kind", { domain: "example.com", zone }, "invalid-config", "mx-target-has-address", "mailHosts"],
  ["bad SPF ip4", { ...base, spf: { ip4: ["10.0.0.256"] } }, "invalid-spf", "spf-syntax", "spf"],
  ["bad SPF include", { ...base, spf: { include: ["localhost"] } }, "invalid-spf", "spf-syntax", "spf"],
  ["SPF +all", { ...base, spf: { all: "+" as never } }, "invalid-spf", "spf-no-plus-all", "spf.all"],
  ["SPF over the lookup limit", { ...base, spf: { include: includes } }, "rule-violation", "spf-lookup-limit", "example.com SPF"],
  ["SPF in extraTxt", { ...base, extraTxt: ["v=spf1 -all"] }, "invalid-config", "spf-single-record", "extraTxt[0]"],
  ["bad DKIM selector", { ...base, dkim: [{ selector: "bad selector" }] }, "invalid-dkim", "name-syntax", "dkim[0].selector"],
  ["DKIM selector twice", { ...base, dkim: [{ selector: "s1" }, { selector: "S1" }] }, "invalid-config", "duplicate-record", "dkim[1].selector"],
  ["1024-bit key without allowWeakKey", { ...base, dkim: [{ selector: "s1", keyBits: 1024 }] }, "invalid-dkim", "dkim-key-size", "dkim[0].keyBits"],
  ["unsupported key size", { ...base, dkim: [{ selector: "s1", keyBits: 1000 as never }] }, "invalid-dkim", "dkim-key-size", "dkim[0].keyBits"],
  ["given key not base64", { ...base, dkim: [{ selector: "s1", publicKey: "not*base64" }] }, "invalid-dkim", "dkim-record-syntax", "dkim[0].publicKey"],
  ["given key of 512 bits", { ...base, dkim: [{ selector: "s1", publicKey: weak }] }, "invalid-dkim", "dkim-key-size", "dkim[0].publicKey"],
  ["DMARC policy unknown", { ...base, dmarc: { p: "block" as never } }, "invalid-dmarc", "dmarc-syntax", "dmarc"],
  ["DMARC rua not an address", { ...base, dmarc: { p: "reject", rua: ["not-an-address"] } }, "invalid-dmarc", "dmarc-syntax", "dmarc.rua[0]"],
  ["DMARC fo unknown", { ...base, dmarc: { p: "reject", fo: ["2"] } }, "invalid-dmarc", "dmarc-syntax", "dmarc"],
  ["TTL out of the provider's range", { ...base, ttl: { mx: 0 } }, "invalid-config", undefined, "ttl.mx"],
  ["unknown TTL kind", { ...base, ttl: { web: 300 } as never }, "invalid-config", undefined, "ttl.web"],
  ["Elastic IP PTR outside Route 53", { ...base, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"], ptr: { eipAllocationIds: ["eipalloc-1"] } }] }, "capability", undefined, "mailHosts[0].ptr.eipAllocationIds[0]"],
  ["PTR zone does not hold the address", { ...base, mailHosts: [{ name: "mx1", ipv4: ["198.51.100.1"], ptr: { zones: [rev4] } }] }, "invalid-config", "ptr-forward-confirmed", "mailHosts[0].ptr.zones"],
  ["mail host twice", { ...base, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }, { name: "MX1.example.com", ipv4: ["192.0.2.11"] }] }, "invalid-config", "duplicate-record", "mailHosts[1].name"],
  ["address twice", { ...base, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10", "192.0.2.10"] }] }, "invalid-config", "duplicate-record", "mailHosts[0].ipv4"],
  ["mail host outside the zone", { ...base, mailHosts: [{ name: "mx.example.net", ipv4: ["192.0.2.10"] }] }, "invalid-config", undefined, "mailHosts[0].name"],
  ["null MX with an SPF policy", { domain: "example.com", zone, nullMx: true, spf: { include: ["x.example.net"] } }, "invalid-config", "null-mx-alone", "spf"],
  ["null MX with DMARC p=none", { domain: "example.com", zone, nullMx: true, dmarc: { p: "none" } }, "invalid-config", "null-mx-alone", "dmarc.p"],
  ["unknown rule id switched off", { ...base, rules: { disabled: ["spf-lookup-limit", "spf-lookups"] } }, "invalid-config", undefined, "rules.disabled[1]"],
];

describe("invalid MailDomain configurations", () => {
  test.each(cases)("%s", (_what, args, code, ruleId, field) => {
    let err: unknown;
    try {
      checkPlan(planMailDomain(args), args.rules);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MailDnsError);
    const m = err as MailDnsError;
    expect([m.code, m.ruleId, m.field]).toEqual([code, ruleId, field]);
    if (!field?.startsWith("rules")) expect(m.message).toContain(m.domain ?? "example.com");
  });

  test("a rule violation names its rule once", () => {
    let err: unknown;
    try {
      checkPlan(planMailDomain({ ...base, spf: { include: includes } }));
    } catch (e) {
      err = e;
    }
    const message = (err as MailDnsError).message;
    expect(message).toMatch(/more than 10 is a permerror \[spf-lookup-limit, RFC 7208 §4\.6\.4\]$/);
    expect(message.split("[spf-lookup-limit").length).toBe(2);
  });

  test(`${cases.length} distinct cases`, () => {
    expect(new Set(cases.map((c) => c[0])).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  test("an invalid domain throws before any resource is registered", () => {
    const before = registered.length;
    expect(() => new MailDomain("bad", { ...base, spf: { include: includes } })).toThrow(MailDnsError);
    expect(() => new MailDomain("bad2", { ...base, zone: route53Zone({ name: "example.com", zoneId: "Z" }), ttl: { mx: -1 } })).toThrow(MailDnsError);
    expect(registered.length).toBe(before);
  });
});

import { createHash, createPublicKey } from "node:crypto";
import type { Registered } from "../helpers/mocks";
import type { MailDomainArgs, MailHostArgs } from "../../components/mail-domain-args";
import { planMailDomain } from "../../components/mail-domain-plan";
import { MailDnsError } from "../../lib/errors";
import { zoneFile } from "../../zones/zonefile";
import type { ZoneHandle } from "../../zones/zone";
import { selfSignedCert } from "../helpers/certs";

/**
 * DANE TLSA records of the mail hosts (RFC 7672) on Cloudflare and Route 53
 * under mocks: exact resources and inputs; a rollover is two values side by side.
 */
type Provider = "cloudflare" | "route53";

const oldCert = selfSignedCert("mx1.example.com", 1024);
const newCert = selfSignedCert("mx1.example.com", 1024);
const hash = (pem: string) => createHash("sha256").update(createPublicKey(pem).export({ type: "spki", format: "der" })).digest("hex");
const OLD = hash(oldCert.cert);
const NEW = hash(newCert.cert);

async function declare(provider: Provider, tlsa: MailHostArgs["tlsa"]): Promise<Registered[]> {
  let registered: Registered[] = [];
  let run: Promise<Registered[]> = Promise.resolve(registered);
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mocks = require("../helpers/mocks") as typeof import("../helpers/mocks");
    registered = mocks.installMocks();
    const { MailDomain } = require("../../components/mail-domain") as typeof import("../../components/mail-domain");
    const zone: ZoneHandle = provider === "cloudflare"
      ? (require("../../zones/cloudflare") as typeof import("../../zones/cloudflare")).cloudflareZone({ name: "example.com", zoneId: "zone-com" })
      : (require("../../zones/route53") as typeof import("../../zones/route53")).route53Zone({ name: "example.com", zoneId: "Z-COM" });
    /* eslint-enable @typescript-eslint/no-require-imports */
    const md = new MailDomain("example", {
      domain: "example.com", zone,
      mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"], tlsa }, { name: "mx2", ipv4: ["192.0.2.11"] }],
      dmarc: { p: "reject" },
    });
    run = mocks.promiseOf(md.records).then(() => mocks.settled(registered)).then(() => registered);
  });
  return run;
}

describe("DANE TLSA records (mocks)", () => {
  test("Cloudflare: one DnsRecord per value, the fields in data and no content, exactly", async () => {
    const registered = await declare("cloudflare", { certificates: [oldCert.cert, newCert.cert] });
    const recs = registered.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && r.inputs.type === "TLSA");
    expect(recs.map((r) => ({ name: r.name, inputs: r.inputs }))).toEqual([OLD, NEW].map((h) => ({
      name: `example-tlsa-_25._tcp.mx1.example.com-${createHash("sha256").update(`3 1 1 ${h}`).digest("hex").slice(0, 8)}`,
      inputs: {
        zoneId: "zone-com", name: "_25._tcp.mx1.example.com", type: "TLSA", ttl: 3600, proxied: false, comment: "managed by maildns",
        data: { usage: 3, selector: 1, matchingType: 1, certificate: h },
      },
    })));
  });

  test("Route 53: one record set holding both values of a rollover, DANE-TA from a public key", async () => {
    const registered = await declare("route53", { publicKeys: [oldCert.publicKey, newCert.publicKey], usage: "dane-ta" });
    const sets = registered.filter((r) => r.type === "aws:route53/record:Record" && r.inputs.type === "TLSA");
    expect(sets.map((r) => ({ name: r.name, inputs: r.inputs }))).toEqual([{
      name: "example-tlsa-_25._tcp.mx1.example.com",
      inputs: { zoneId: "Z-COM", name: "_25._tcp.mx1.example.com", type: "TLSA", ttl: 3600, records: [`2 1 1 ${OLD}`, `2 1 1 ${NEW}`], allowOverwrite: false },
    }]);
  });
});

describe("planMailDomain: mailHosts[].tlsa", () => {
  const zone = zoneFile({ name: "example.com" });
  const plan = (tlsa: unknown, extra: Partial<MailDomainArgs> = {}) =>
    planMailDomain({ domain: "example.com", zone, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }, { name: "mx2", ipv4: ["192.0.2.11"], tlsa: tlsa as MailHostArgs["tlsa"] }], ...extra });
  const error = (tlsa: unknown): MailDnsError => {
    try {
      plan(tlsa);
    } catch (e) {
      return e as MailDnsError;
    }
    throw new Error("no error");
  };

  test("a TLSA set at _25._tcp.<host>, TTL of kind mx", () => {
    const p = plan({ certificates: [oldCert.cert] }, { ttl: { mx: 600 } });
    expect(p.sets.filter((s) => s.type === "TLSA").map((s) => [s.name, s.ttl, s.values])).toEqual([["_25._tcp.mx2.example.com", 600, [`3 1 1 ${OLD}`]]]);
  });

  const truncated = oldCert.cert.split(/\r?\n/).filter((_l, i, all) => i < 3 || i >= all.length - 2).join("\n");
  test.each([
    ["not PEM", { certificates: ["hello"] }, "mailHosts[1].tlsa.certificates[0]", "tlsa-record-syntax"],
    ["a truncated certificate", { certificates: [truncated] }, "mailHosts[1].tlsa.certificates[0]", "tlsa-record-syntax"],
    ["a key among certificates", { certificates: [oldCert.publicKey] }, "mailHosts[1].tlsa.certificates[0]", "tlsa-record-syntax"],
    ["a certificate among keys", { publicKeys: [oldCert.publicKey, oldCert.cert] }, "mailHosts[1].tlsa.publicKeys[1]", "tlsa-record-syntax"],
    ["the same key twice", { certificates: [oldCert.cert], publicKeys: [oldCert.publicKey] }, "mailHosts[1].tlsa.publicKeys[0]", "duplicate-record"],
    ["a PKIX usage", { certificates: [oldCert.cert], usage: "pkix-ee" }, "mailHosts[1].tlsa.usage", "tlsa-record-syntax"],
    ["nothing given", {}, "mailHosts[1].tlsa", "tlsa-record-syntax"],
  ])("%s: an error naming the field and rule", (_what, tlsa, field, ruleId) => {
    const e = error(tlsa);
    expect(e).toBeInstanceOf(MailDnsError);
    expect([e.code, e.field, e.ruleId]).toEqual(["invalid-config", field, ruleId]);
    expect(e.rfc).toMatch(/RFC 7672/);
    expect(e.rfc).toMatch(/RFC 6698/);
  });

  test("the error shows the head of the value, never the whole certificate", () => {
    const e = error({ certificates: [truncated] });
    expect(String(e.value)).toBe(`${truncated.slice(0, 40)}…`);
    expect(e.message).not.toContain(truncated.split("\n")[2]);
  });
});

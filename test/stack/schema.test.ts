import { MailDnsError } from "../../lib/errors";
import { parseStackConfig } from "../../stack/schema";

const defaults = { dns: { provider: "cloudflare" } };
const domain = { domain: "example.com", mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"] }] };

function fieldOf(f: () => unknown): [string, string | undefined] {
  try {
    f();
  } catch (e) {
    if (e instanceof MailDnsError) return [e.code, e.field];
    throw e;
  }
  throw new Error("no error");
}

describe("stack config (maildns:defaults, maildns:domains)", () => {
  test("a valid config parses", () => {
    const c = parseStackConfig(defaults, [domain]);
    expect(c.domains[0]?.domain).toBe("example.com");
  });
  test("errors name the stack-file key path", () => {
    expect(fieldOf(() => parseStackConfig(undefined, [domain]))).toEqual(["invalid-config", "maildns:defaults"]);
    expect(fieldOf(() => parseStackConfig({ dns: { provider: "godaddy" } }, [domain]))).toEqual(["invalid-config", "maildns:defaults.dns.provider"]);
    expect(fieldOf(() => parseStackConfig(defaults, []))).toEqual(["invalid-config", "maildns:domains"]);
    expect(fieldOf(() => parseStackConfig(defaults, [domain, { ...domain, domain: "b.example", mailHosts: [{ name: "mx", ipv4: [4] }] }]))).toEqual(["invalid-config", "maildns:domains[1].mailHosts[0].ipv4[0]"]);
    expect(fieldOf(() => parseStackConfig(defaults, [{ ...domain, spf: { all: "+" } }]))).toEqual(["invalid-config", "maildns:domains[0].spf.all"]);
    expect(fieldOf(() => parseStackConfig(defaults, [{ ...domain, mailhosts: [] }]))).toEqual(["invalid-config", "maildns:domains[0].mailhosts"]);
    expect(fieldOf(() => parseStackConfig(defaults, [domain, { ...domain, domain: "Example.com." }]))).toEqual(["invalid-config", "maildns:domains[1].domain"]);
  });
  test("a scalar where a mapping goes: the error lists the mapping's keys", () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(message(() => parseStackConfig(defaults, [{ ...domain, ttl: 300 }]))).toBe("maildns:domains[0].ttl = 300: ttl must be a mapping (keys: address, mx, spf, dkim, dmarc, ptr) [RFC 2181 §8]");
    expect(message(() => parseStackConfig(defaults, [{ ...domain, mailHosts: ["mx1"] }]))).toMatch(/^maildns:domains\[0\]\.mailHosts\[0\] = "mx1": the value must be a mapping \(keys: name, ipv4, ipv6, preference, ptr, /);
    // A list where a list goes, a provider union: no keys to give.
    expect(message(() => parseStackConfig(defaults, [{ ...domain, mailHosts: "mx1" }]))).toBe('maildns:domains[0].mailHosts = "mx1": mailHosts must be a list');
  });
});

describe("stack config: mailHosts[].tlsa (DANE, RFC 7672)", () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  test("PEM strings and a usage parse", () => {
    const c = parseStackConfig(defaults, [{ ...domain, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"], tlsa: { certificates: [pem], usage: "dane-ta" } }] }]);
    expect(c.domains[0]?.mailHosts?.[0]?.tlsa).toEqual({ certificates: [pem], usage: "dane-ta" });
  });
  test("errors name the key and the rule", () => {
    const bad = (tlsa: unknown) => parseStackConfig(defaults, [{ ...domain, mailHosts: [{ name: "mx1", ipv4: ["192.0.2.10"], tlsa }] }]);
    expect(fieldOf(() => bad({ usage: "pkix-ee" }))).toEqual(["invalid-config", "maildns:domains[0].mailHosts[0].tlsa.usage"]);
    expect(fieldOf(() => bad({ certificates: [1] }))).toEqual(["invalid-config", "maildns:domains[0].mailHosts[0].tlsa.certificates[0]"]);
    expect(fieldOf(() => bad({ certificate: [pem] }))).toEqual(["invalid-config", "maildns:domains[0].mailHosts[0].tlsa.certificate"]);
    try {
      bad({ usage: "pkix-ee" });
    } catch (e) {
      expect((e as MailDnsError).ruleId).toBe("tlsa-record-syntax");
    }
  });
});

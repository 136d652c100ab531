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
});

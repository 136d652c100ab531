import { MailDnsError } from "../../lib/errors";
import { cloudflareZone } from "../../zones/cloudflare";
import { rfc2136Zone } from "../../zones/rfc2136";
import { route53Zone } from "../../zones/route53";
import { zoneFile } from "../../zones/zonefile";

function codeOf(f: () => unknown): [string, string | undefined] | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof MailDnsError) return [e.code, e.field];
    throw e;
  }
}

describe("zone handles refuse bad arguments with MailDnsError", () => {
  test("zone names", () => {
    expect(codeOf(() => cloudflareZone({ name: "bad..example.com", zoneId: "z" }))).toEqual(["invalid-name", "zone.name"]);
    expect(codeOf(() => route53Zone({ name: "", zoneId: "z" }))).toEqual(["invalid-name", "zone.name"]);
    expect(codeOf(() => zoneFile({ name: "-bad.example.com" }))).toEqual(["invalid-name", "zone.name"]);
    expect(codeOf(() => rfc2136Zone({ name: "exa mple.com", server: "127.0.0.1:53", key: { name: "k", secret: "c2VjcmV0" } }))).toEqual(["invalid-name", "zone.name"]);
  });
  test("zone files: nameservers", () => {
    expect(codeOf(() => zoneFile({ name: "example.com", nameservers: [] }))).toEqual(["invalid-config", "nameservers"]);
    expect(codeOf(() => zoneFile({ name: "example.com", nameservers: [{ name: "ns_1.example.com" }] }))).toEqual(["invalid-name", "nameservers[0].name"]);
  });
  test("RFC 2136: server and key name", () => {
    expect(codeOf(() => rfc2136Zone({ name: "example.com", server: "dns.example.com:53", key: { name: "k", secret: "c2VjcmV0" } }))).toEqual(["invalid-resolver", "server"]);
    expect(codeOf(() => rfc2136Zone({ name: "example.com", server: "127.0.0.1:53", key: { name: "bad key", secret: "c2VjcmV0" } }))).toEqual(["invalid-config", "key.name"]);
  });
  test("valid handles declare their provider, zone and capabilities", () => {
    const z = zoneFile({ name: "Example.COM." });
    expect([z.provider, z.zone, z.capabilities.offline]).toEqual(["zonefile", "example.com", "yes"]);
    const r = rfc2136Zone({ name: "example.com", server: "[::1]:5353", key: { name: "maildns", secret: "c2VjcmV0" } });
    expect([r.provider, r.capabilities.recordSetPerResource]).toEqual(["rfc2136", "yes"]);
  });
});

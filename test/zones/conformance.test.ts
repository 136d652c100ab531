import * as packet from "dns-packet";
import { Capability } from "../../zones/zone";
import { CAPABILITIES } from "../../zones/capabilities";
import { toContent, toTlsaData } from "../../zones/cloudflare";
import { toRoute53Value } from "../../zones/route53";
import { zoneFileRdata } from "../../zones/zonefile";
import { rdata } from "../../zones/dnsupdate";
import { parseTxt } from "../../lib/txt";
import { RecordType } from "../../lib/records";

/**
 * One table of cases, each tagged with the capabilities it needs, run
 * against every adapter: the value each provider is sent must read back as
 * the declared value, with every TXT character-string at most 255 octets.
 */
interface Adapter {
  provider: keyof typeof CAPABILITIES;
  /** Provider form of one value, then read back: [value, TXT character-strings]. */
  roundTrip(type: RecordType, value: string): [string, string[]];
}

const unescapeR53 = (s: string) => s.replace(/\\(.)/g, "$1");
const adapters: Adapter[] = [
  {
    provider: "cloudflare",
    roundTrip(type, v) {
      if (type === "TLSA") {
        const d = toTlsaData({ name: "_25._tcp.mx.example.com" }, v);
        return [`${d.usage} ${d.selector} ${d.matchingType} ${d.certificate}`, []];
      }
      const c = toContent({ name: "example.com", type }, v);
      if (type === "TXT") return [parseTxt(c).join(""), parseTxt(c)];
      if (type === "MX") return [`${v.split(" ")[0]} ${c === "." ? "." : `${c}.`}`, []];
      return [type === "PTR" ? `${c}.` : c, []];
    },
  },
  {
    provider: "route53",
    roundTrip(type, v) {
      const r = toRoute53Value({ type }, v);
      if (type === "TXT") {
        const chunks = r.split('""').map(unescapeR53);
        return [chunks.join(""), chunks];
      }
      return [r, []];
    },
  },
  {
    provider: "zonefile",
    roundTrip(type, v) {
      const r = zoneFileRdata({ name: "example.com", type }, v);
      return type === "TXT" ? [parseTxt(r).join(""), parseTxt(r)] : [r, []];
    },
  },
  {
    provider: "rfc2136",
    roundTrip(type, v) {
      const wire = rdata(type, v);
      const codec = (packet as unknown as Record<string, { decode(b: Buffer): unknown }>)[type.toLowerCase()] as { decode(b: Buffer): unknown };
      const d = codec.decode(wire);
      if (type === "TXT") {
        const strings = (d as Buffer[]).map((b) => b.toString("utf8"));
        return [strings.join(""), strings];
      }
      if (type === "MX") {
        const m = d as { preference: number; exchange: string };
        return [`${m.preference} ${m.exchange === "" || m.exchange === "." ? "." : `${m.exchange}.`}`, []];
      }
      if (type === "TLSA") {
        const t = d as { usage: number; selector: number; matchingType: number; certificate: Buffer };
        return [`${t.usage} ${t.selector} ${t.matchingType} ${t.certificate.toString("hex")}`, []];
      }
      return [type === "PTR" ? `${d}.` : String(d), []];
    },
  },
];

const cases: { what: string; type: RecordType; value: string; requires: Capability[] }[] = [
  { what: "short TXT", type: "TXT", value: "v=spf1 mx -all", requires: [] },
  { what: "2048-bit DKIM TXT over 255 octets", type: "TXT", value: `v=DKIM1; k=rsa; p=${"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A".padEnd(392, "x")}`, requires: [] },
  { what: "TXT with quotes, backslashes and semicolons", type: "TXT", value: 'say "hi"; path C:\\mail; done', requires: [] },
  { what: "UTF-8 TXT across the 255-octet boundary", type: "TXT", value: "é".repeat(200), requires: [] },
  { what: "MX", type: "MX", value: "10 mx1.example.com.", requires: [] },
  { what: "null MX", type: "MX", value: "0 .", requires: ["nullMx"] },
  { what: "PTR", type: "PTR", value: "mx1.example.com.", requires: ["ptr"] },
  { what: "A", type: "A", value: "192.0.2.10", requires: [] },
  { what: "AAAA", type: "AAAA", value: "2001:db8::10", requires: [] },
  { what: "TLSA (DANE-EE, SPKI, SHA-256)", type: "TLSA", value: `3 1 1 ${"0123456789abcdef".repeat(4)}`, requires: ["tlsa"] },
  { what: "TLSA (DANE-TA, full certificate, exact)", type: "TLSA", value: "2 0 0 308201a2", requires: ["tlsa"] },
];

describe.each(adapters.map((a) => [a.provider, a] as const))("adapter conformance: %s", (provider, adapter) => {
  const supported = cases.filter((c) => c.requires.every((r) => CAPABILITIES[provider][r] === "yes"));
  test.each(supported.map((c) => [c.what, c] as const))("%s", (_w, c) => {
    const [back, strings] = adapter.roundTrip(c.type, c.value);
    expect(back).toBe(c.value);
    for (const s of strings) expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
    if (c.type === "TXT" && Buffer.byteLength(c.value) > 255) expect(strings.length).toBeGreaterThan(1);
  });
});

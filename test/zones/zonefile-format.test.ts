import fc from "fast-check";
import { presentTxt } from "../../lib/txt";
import { nextSerial, parseZone, renderChecked, renderZone, ZoneModel, ZoneRRset } from "../../zones/zonefile-format";

const header: ZoneRRset[] = [
  { owner: "@", type: "SOA", ttl: 3600, rdata: ["ns1.example.com. hostmaster.example.com. 0 3600 900 1209600 300"] },
  { owner: "@", type: "NS", ttl: 3600, rdata: ["ns1.example.com."] },
  { owner: "ns1", type: "A", ttl: 3600, rdata: ["127.0.0.1"] },
];
const base: ZoneModel = { origin: "example.com", owner: "maildns/local", header, rrsets: [], serial: 2026112800 };

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const owner = fc.oneof(fc.constant("@"), fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join(".")), label.map((l) => `_${l}`));
const octet = fc.integer({ min: 0, max: 255 });
const rdataOf: Record<string, fc.Arbitrary<string>> = {
  A: fc.tuple(octet, octet, octet, octet).map((o) => o.join(".")),
  AAAA: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":")),
  MX: fc.tuple(fc.integer({ min: 0, max: 65535 }), label).map(([p, h]) => `${p} ${h}.example.net.`),
  // Any text: quotes, backslashes, semicolons, parentheses, non-ASCII, long values split at 255 octets.
  TXT: fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom('a"b\\c;d(e)', "v=spf1 -all", "")).map((v) => presentTxt(v)),
  PTR: label.map((l) => `${l}.example.com.`),
  CAA: label.map((l) => `0 issue "${l}.example"`),
};
const rrset = fc
  .tuple(owner, fc.constantFrom(...Object.keys(rdataOf)), fc.integer({ min: 0, max: 2147483647 }))
  .chain(([o, type, ttl]) => fc.array(rdataOf[type] as fc.Arbitrary<string>, { minLength: 1, maxLength: 4 }).map((rdata) => ({ owner: o, type, ttl, rdata })));
const rrsets = fc.uniqueArray(rrset, { selector: (s) => `${s.owner} ${s.type}`, maxLength: 12 });

describe("zone files maildns writes", () => {
  test("write → parse is the identity for arbitrary record sets (10,000 runs)", () => {
    fc.assert(
      fc.property(rrsets, fc.array(fc.constantFrom("hand.zone", "/etc/bind/extra.zone"), { maxLength: 2 }), (sets, includes) => {
        const model: ZoneModel = { ...base, rrsets: sets, includes: includes.length ? includes : undefined };
        const back = parseZone(renderChecked(model));
        expect(back.kind).toBe("maildns");
        if (back.kind !== "maildns") return;
        expect(back.model.rrsets).toEqual(sets);
        expect(back.model.header).toEqual(header);
        expect(back.model.serial).toBe(model.serial);
        expect(back.model.includes).toEqual(model.includes);
      }),
      { numRuns: 10_000 },
    );
  });

  test("an edit by hand of any line is detected", () => {
    const text = renderZone({ ...base, rrsets: [{ owner: "mx1", type: "A", ttl: 300, rdata: ["192.0.2.10"] }] });
    expect(parseZone(text).kind).toBe("maildns");
    const lines = text.split("\n");
    for (let i = 3; i < lines.length - 1; i++) {
      const edited = [...lines.slice(0, i), `${lines[i]} `, ...lines.slice(i + 1)].join("\n");
      expect(parseZone(edited).kind).toBe("edited");
    }
    expect(parseZone(`${text}www 300 IN A 192.0.2.99\n`).kind).toBe("edited");
    expect(parseZone(text.replace("192.0.2.10", "192.0.2.11")).kind).toBe("edited");
    expect(parseZone("$ORIGIN example.com.\n@ 300 IN A 192.0.2.1\n").kind).toBe("foreign");
  });

  test("a file of maildns 0.1 (no digest) is read as it is", () => {
    const old = "; maildns zone file for example.com; edits by hand are overwritten\n$ORIGIN example.com.\n@\t3600\tIN\tSOA\tns1.example.com. hostmaster.example.com. 7 3600 900 1209600 300\n@\t3600\tIN\tNS\tns1.example.com.\nns1\t3600\tIN\tA\t127.0.0.1\n; -- records --\nmx1\t300\tIN\tA\t192.0.2.10\n";
    const parsed = parseZone(old);
    expect(parsed.kind).toBe("maildns");
    if (parsed.kind !== "maildns") return;
    expect(parsed.model).toMatchObject({ origin: "example.com", owner: undefined, header, serial: 7, rrsets: [{ owner: "mx1", type: "A", ttl: 300, rdata: ["192.0.2.10"] }] });
  });

  test("an unsound zone is never rendered: a CNAME beside other data (RFC 1034 §3.6.2)", () => {
    const bad = { ...base, rrsets: [{ owner: "www", type: "CNAME", ttl: 300, rdata: ["example.net."] }, { owner: "www", type: "A", ttl: 300, rdata: ["192.0.2.1"] }] };
    expect(() => renderChecked(bad)).toThrow(/CNAME and other data/);
  });

  test("a TXT value given unsplit is refused (over 255 octets in one string)", () => {
    const bad = { ...base, rrsets: [{ owner: "@", type: "TXT", ttl: 300, rdata: [`"${"a".repeat(300)}"`] }] };
    expect(() => renderChecked(bad)).toThrow(/over 255 octets/);
  });

  test("the SOA serial always increases", () => {
    const now = new Date("2026-11-28T10:00:00Z");
    expect(nextSerial(0, now)).toBe(2026112800);
    expect(nextSerial(2026112800, now)).toBe(2026112801);
    expect(nextSerial(2026113005, now)).toBe(2026113006);
  });
});

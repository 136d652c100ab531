import { MailDnsError } from "../../lib/errors";
import { parseMasterFile, parseTtl } from "../../lib/master-file";

/** RFC 1035 §5 master files: the grammar the zone-file backend reads its own files back with. */
describe("parseMasterFile", () => {
  test("directives, blank owners, TTL and class in either order, parentheses and comments (RFC 1035 §5.1)", () => {
    const f = parseMasterFile(
      [
        "$ORIGIN example.com.",
        "$TTL 1h ; default TTL (RFC 2308 §4)",
        "@ IN SOA ns1 hostmaster ( 1 ; serial",
        "   3600 900 1209600 300 )",
        "  NS ns1.example.com.",
        "mx1 300 IN A 192.0.2.10",
        "mx2 IN 600 A 192.0.2.11",
        '@ TXT "v=spf1 ip4:192.0.2.0/24 -all" ; trailing comment',
        '_dmarc TXT "v=DMARC1; p=reject" "second \\"quoted\\" string" "semi;colon (paren)"',
        '$INCLUDE "hand.zone" sub.example.com.',
      ].join("\n"),
    );
    expect(f.origin).toBe("example.com");
    expect(f.records.map((r) => [r.owner, r.ttl, r.class, r.type, r.rdata])).toEqual([
      ["example.com", 3600, "IN", "SOA", "ns1 hostmaster 1 3600 900 1209600 300"],
      ["example.com", 3600, "IN", "NS", "ns1.example.com."],
      ["mx1.example.com", 300, "IN", "A", "192.0.2.10"],
      ["mx2.example.com", 600, "IN", "A", "192.0.2.11"],
      ["example.com", 3600, "IN", "TXT", '"v=spf1 ip4:192.0.2.0/24 -all"'],
      ["_dmarc.example.com", 3600, "IN", "TXT", '"v=DMARC1; p=reject" "second \\"quoted\\" string" "semi;colon (paren)"'],
    ]);
    expect(f.includes).toEqual([{ file: "hand.zone", origin: "sub.example.com", line: 10 }]);
    expect(f.records[2]?.line).toBe(6);
  });

  test("a record without a TTL takes the previous one when there is no $TTL", () => {
    const f = parseMasterFile("a.example. 120 IN A 192.0.2.1\nb.example. IN A 192.0.2.2\n");
    expect(f.records.map((r) => r.ttl)).toEqual([120, 120]);
  });

  test.each([
    ["an unterminated quote", '$ORIGIN example.\n@ 60 TXT "open\n', 2],
    ["an unclosed parenthesis", "$ORIGIN example.\n@ 60 SOA a b ( 1 2\n", 2],
    ["a stray closing parenthesis", "$ORIGIN example.\n@ 60 A 192.0.2.1 )\n", 2],
    ["a relative name before $ORIGIN", "www 60 A 192.0.2.1\n", 1],
    ["no TTL at all", "$ORIGIN example.\n@ A 192.0.2.1\n", 2],
    ["an unknown directive", "$GENERATE 1-2 a$ A 192.0.2.$\n", 1],
    ["a record without RDATA", "$ORIGIN example.\n@ 60 IN A\n", 2],
  ])("refuses %s, naming the line", (_what, text, line) => {
    let err: unknown;
    try {
      parseMasterFile(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MailDnsError);
    expect((err as MailDnsError).code).toBe("invalid-zone-file");
    expect((err as MailDnsError).field).toBe(`line ${line}`);
  });

  test("TTL units (BIND) and the RFC 2181 §8 ceiling", () => {
    expect(parseTtl("1w2d3h4m5s")).toBe(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    expect(parseTtl("2147483647")).toBe(2147483647);
    expect(parseTtl("2147483648")).toBeUndefined();
    expect(parseTtl("1x")).toBeUndefined();
  });
});

import { MailDnsError } from "../../lib/errors";
import { octets, parseTxt, presentTxt, quoteTxt, splitTxt } from "../../lib/txt";

describe("TXT character-strings (RFC 1035 §3.3, §5.1)", () => {
  test("a 2048-bit DKIM record splits into strings of at most 255 octets", () => {
    const value = `v=DKIM1; k=rsa; p=${"A".repeat(392)}`;
    const parts = splitTxt(value);
    expect(parts.map(octets)).toEqual([255, value.length - 255]);
    expect(parts.join("")).toBe(value);
  });

  test("never cuts a multi-octet character", () => {
    const value = "é".repeat(200); // 400 octets
    const parts = splitTxt(value);
    expect(parts.every((p) => octets(p) <= 255)).toBe(true);
    expect(parts[0]).toBe("é".repeat(127));
    expect(parts.join("")).toBe(value);
  });

  test("an empty value is one empty string", () => {
    expect(splitTxt("")).toEqual([""]);
    expect(presentTxt("")).toBe('""');
  });

  test("quotes and backslashes are escaped; other octets as \\DDD (RFC 1035 §5.1)", () => {
    expect(quoteTxt(['say "hi" \\ bye'])).toBe('"say \\"hi\\" \\\\ bye"');
    expect(quoteTxt(["tab\there"])).toBe('"tab\\009here"');
    expect(quoteTxt(["é"])).toBe('"\\195\\169"');
    expect(quoteTxt(["é"], { escapeNonAscii: false })).toBe('"é"');
  });

  test("presentation parses back: quoted, bare, escapes", () => {
    expect(parseTxt('"first" "second"')).toEqual(["first", "second"]);
    expect(parseTxt("bare words")).toEqual(["bare", "words"]);
    expect(parseTxt('"a\\"b\\\\c\\065"')).toEqual(['a"b\\cA']);
    expect(parseTxt('"\\195\\169"')).toEqual(["é"]);
  });

  test("bad presentation is a MailDnsError", () => {
    expect(() => parseTxt('"unterminated')).toThrow(MailDnsError);
    expect(() => parseTxt('"\\999"')).toThrow(MailDnsError);
    expect(() => parseTxt('"ends with \\')).toThrow(MailDnsError);
  });

  test("split size is validated", () => {
    expect(() => splitTxt("x", 256)).toThrow(MailDnsError);
  });
});

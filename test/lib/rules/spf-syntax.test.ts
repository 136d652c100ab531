import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-syntax (RFC 7208 §12)", () => {
  test("passes a valid record", () => expect(check("spf-syntax", goodDomain)).toEqual([]));
  test("flags every bad term", () => {
    const f = check("spf-syntax", [rr("example.com", "TXT", "v=spf1 ip4:192.0.2.300 a:foo include -all")]);
    expect(summary(f)).toEqual(Array(3).fill("spf-syntax example.com SPF error"));
  });
});

describe("spf-syntax: case (RFC 7208 §4.6.1, RFC 5234 §2.3)", () => {
  test("version, mechanism and modifier names are case-insensitive", () => {
    const record = "V=SPF1 MX A:Mail.Example.com IP4:192.0.2.1 IP6:2001:DB8::1 Include:_spf.example.net EXISTS:%{I}.x.example.net ?PTR Redirect=_spf.example.net";
    expect(check("spf-syntax", [rr("example.com", "TXT", record)])).toEqual([]);
    expect(check("spf-syntax", [rr("example.com", "TXT", "v=spf1 ~ALL")])).toEqual([]);
  });
});

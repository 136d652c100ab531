import { check, summary } from "../../helpers/rules";

describe("dns-answers (RFC 1035 §4.1.1, RFC 2308 §7)", () => {
  test("answers, NODATA and NXDOMAIN are answers", () => {
    expect(check("dns-answers", [], { live: true, facts: { questions: { "example.com MX": "answer", "example.com TXT": "nodata", "x.example.com A": "nxdomain" } } })).toEqual([]);
  });
  test("each failed question is one 'could not verify' finding with its reason", () => {
    const f = check("dns-answers", [], { live: true, facts: { questions: { "example.com MX": "answer", "_dmarc.example.com TXT": "a CNAME loop: _dmarc.example.com -> x.example.com -> _dmarc.example.com", "mx.example.net A": "SERVFAIL from 127.0.0.1:53" } } });
    expect(summary(f)).toEqual(["dns-answers _dmarc.example.com TXT warning", "dns-answers mx.example.net A warning"]);
    expect(f.every((x) => x.unverified)).toBe(true);
    expect(f[0]?.message).toMatch(/CNAME loop/);
  });
});

import { check, rr, summary } from "../../helpers/rules";

describe("tlsa-needs-dnssec (RFC 7672 §2.2)", () => {
  const records = [rr("example.com", "MX", "10 mx.example.com."), rr("_25._tcp.mx.example.com", "TLSA", `3 1 1 ${"ab".repeat(32)}`)];
  test("a stack view knows nothing about signing: no finding", () => expect(check("tlsa-needs-dnssec", records)).toEqual([]));
  test("answers not signed: a warning", () => {
    expect(summary(check("tlsa-needs-dnssec", records, { facts: { dnssec: { "_25._tcp.mx.example.com": false } } }))).toEqual(["tlsa-needs-dnssec _25._tcp.mx.example.com TLSA warning"]);
  });
  test("a zone's fact covers the names below it; the nearest fact wins", () => {
    expect(summary(check("tlsa-needs-dnssec", records, { facts: { dnssec: { "example.com": false } } }))).toEqual(["tlsa-needs-dnssec _25._tcp.mx.example.com TLSA warning"]);
    expect(check("tlsa-needs-dnssec", records, { facts: { dnssec: { "example.com": false, "_25._tcp.mx.example.com": true } } })).toEqual([]);
  });
  test("signed: no finding", () => expect(check("tlsa-needs-dnssec", records, { facts: { dnssec: { "_25._tcp.mx.example.com": true } } })).toEqual([]));
});

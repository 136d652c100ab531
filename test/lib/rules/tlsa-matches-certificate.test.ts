import { tlsaFromPem } from "../../../lib/tlsa";
import { selfSignedCert } from "../../helpers/certs";
import { check, rr, summary } from "../../helpers/rules";

describe("tlsa-matches-certificate (RFC 7672 §3.1, RFC 6698 §2.1)", () => {
  const current = selfSignedCert("mx.example.com", 1024).cert;
  const next = selfSignedCert("mx.example.com", 1024).cert;
  const mx = rr("example.com", "MX", "10 mx.example.com.");
  const run = (tlsa: string[], certs?: string[]) => check("tlsa-matches-certificate", [mx, ...(tlsa.length ? [rr("_25._tcp.mx.example.com", "TLSA", ...tlsa)] : [])], { facts: certs ? { tlsaCertificates: certs } : {} });

  test("no certificate given: nothing to check", () => expect(run([`3 1 1 ${"00".repeat(32)}`])).toEqual([]));
  test("a matching record passes; during a rollover either certificate matches", () => {
    expect(run([tlsaFromPem(current)], [current])).toEqual([]);
    expect(run([tlsaFromPem(current), tlsaFromPem(next)], [next])).toEqual([]);
  });
  test("no record matches: error", () => {
    expect(summary(run([tlsaFromPem(current)], [next]))).toEqual(["tlsa-matches-certificate _25._tcp.mx.example.com TLSA error"]);
  });
  test("a DANE-TA record matches the CA of the chain, not a DANE-EE one", () => {
    const ca = selfSignedCert("ca.example.com", 1024).cert;
    expect(run([tlsaFromPem(ca, "dane-ta")], [current + ca])).toEqual([]);
    expect(summary(run([tlsaFromPem(ca, "dane-ee")], [current + ca]))).toEqual(["tlsa-matches-certificate _25._tcp.mx.example.com TLSA error"]);
  });
  test("an MX host without TLSA records: a warning", () => {
    expect(summary(run([], [current]))).toEqual(["tlsa-matches-certificate _25._tcp.mx.example.com TLSA warning"]);
  });
  test("only the mail domains' MX hosts, when the view names them", () => {
    const other = rr("reports.example.net", "MX", "10 mx.reports.example.net.");
    expect(check("tlsa-matches-certificate", [mx, other, rr("_25._tcp.mx.example.com", "TLSA", tlsaFromPem(current))], { facts: { tlsaCertificates: [current], mailDomains: ["example.com"] } })).toEqual([]);
  });
  test("live view: a failed question is unverified, never a pass", () => {
    const f = check("tlsa-matches-certificate", [mx], { live: true, facts: { tlsaCertificates: [current], questions: { "_25._tcp.mx.example.com TLSA": "SERVFAIL from x" } } });
    expect(f.map((x) => [x.ruleId, x.unverified])).toEqual([["tlsa-matches-certificate", true]]);
  });
});

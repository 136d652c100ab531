import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-near-miss (RFC 7208 §4.5)", () => {
  test("passes SPF records in any case, and unrelated TXT", () => {
    expect(check("spf-near-miss", goodDomain)).toEqual([]);
    expect(check("spf-near-miss", [rr("example.com", "TXT", "V=SPF1 MX -ALL", "v=spf1", "spf2.0/pra include:x -all", "verification=spf1-like")])).toEqual([]);
  });
  test.each([["v=spf1mx -all"], ["spf1 mx -all"], ["v = spf1 mx -all"], ['"v=spf1 mx -all"'], [" v=spf1 mx -all"], ["text v=spf1 mx -all"]])("flags %j", (value) => {
    expect(summary(check("spf-near-miss", [rr("example.com", "TXT", value)]))).toEqual(["spf-near-miss example.com TXT error"]);
  });
  test("flags an SPF record where receivers never look (_dmarc, DKIM names)", () => {
    expect(summary(check("spf-near-miss", [rr("_dmarc.example.com", "TXT", "v=spf1 mx -all"), rr("s1._domainkey.example.com", "TXT", "v=spf1 -all")]))).toEqual([
      "spf-near-miss _dmarc.example.com TXT error",
      "spf-near-miss s1._domainkey.example.com TXT error",
    ]);
  });
});

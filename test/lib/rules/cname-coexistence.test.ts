import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("cname-coexistence (RFC 1034 §3.6.2, RFC 2181 §10.1)", () => {
  test("passes a CNAME alone", () => expect(check("cname-coexistence", [...goodDomain, rr("www.example.com", "CNAME", "example.com.")])).toEqual([]));
  test("flags a CNAME beside other data, and two CNAMEs", () => {
    const f = check("cname-coexistence", [rr("mail.example.com", "CNAME", "host.example.net."), rr("mail.example.com", "TXT", "x"), rr("w.example.com", "CNAME", "a.example.net.", "b.example.net.")]);
    expect(summary(f)).toEqual(["cname-coexistence mail.example.com CNAME error", "cname-coexistence w.example.com CNAME error"]);
  });
});

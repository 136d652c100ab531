import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("ptr-forward-confirmed (RFC 8601 §3, RFC 1912 §2.1)", () => {
  test("passes a PTR whose name resolves back (IPv4 and IPv6)", () => {
    expect(check("ptr-forward-confirmed", [...goodDomain, rr("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "PTR", "mail.example.com.")], { zones: ["example.com", "ip6.arpa", "in-addr.arpa"] })).toEqual([]);
  });
  test("flags a PTR whose name has another address", () => {
    const f = check("ptr-forward-confirmed", [rr("11.2.0.192.in-addr.arpa", "PTR", "mail.example.com."), rr("mail.example.com", "A", "192.0.2.10")]);
    expect(summary(f)).toEqual(["ptr-forward-confirmed 11.2.0.192.in-addr.arpa PTR error"]);
  });
});

import { check, rr, summary } from "../../helpers/rules";

const mx = [rr("example.com", "MX", "10 mail.example.com."), rr("mail.example.com", "A", "192.0.2.20"), rr("mail.example.com", "AAAA", "2001:db8::20")];
const v6 = "0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
const live = (ptr4: string, ptr6 = "answer") => ({ live: true, facts: { questions: { "20.2.0.192.in-addr.arpa PTR": ptr4, [`${v6} PTR`]: ptr6 } } });

describe("ptr-present (RFC 1912 §2.1, RFC 8601 §3)", () => {
  test("passes when every mail-host address has a PTR", () => {
    expect(check("ptr-present", [...mx, rr("20.2.0.192.in-addr.arpa", "PTR", "mail.example.com."), rr(v6, "PTR", "mail.example.com.")], live("answer"))).toEqual([]);
  });
  test("flags an address without one (NXDOMAIN or NODATA), IPv4 and IPv6", () => {
    expect(summary(check("ptr-present", mx, live("nxdomain", "nodata")))).toEqual(["ptr-present 20.2.0.192.in-addr.arpa PTR error", `ptr-present ${v6} PTR error`]);
  });
  test("a failed question is left to dns-answers; a stack view is not judged", () => {
    expect(check("ptr-present", [...mx, rr(v6, "PTR", "mail.example.com.")], live("timeout"))).toEqual([]);
    expect(check("ptr-present", mx, { zones: ["example.com", "2.0.192.in-addr.arpa"] })).toEqual([]);
  });
});

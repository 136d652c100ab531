import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mail-host-not-proxied (Cloudflare)", () => {
  test("passes unproxied mail hosts and a proxied web host", () => {
    expect(check("mail-host-not-proxied", [...goodDomain, { ...rr("www.example.com", "A", "192.0.2.80"), proxied: true }])).toEqual([]);
  });
  test("flags a proxied MX target", () => {
    const f = check("mail-host-not-proxied", [rr("example.com", "MX", "10 mail.example.com."), { ...rr("mail.example.com", "A", "192.0.2.10"), proxied: true }]);
    expect(summary(f)).toEqual(["mail-host-not-proxied mail.example.com A error"]);
  });
});

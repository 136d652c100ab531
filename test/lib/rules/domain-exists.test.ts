import { check, rr, summary } from "../../helpers/rules";

const live = (questions: Record<string, string>) => ({ zones: ["typo.example.com"], live: true, facts: { mailDomains: ["typo.example.com"], questions } });

describe("domain-exists (RFC 1035 §4.1.1)", () => {
  test("flags a mail domain every question calls NXDOMAIN", () => {
    const f = check("domain-exists", [], live({ "typo.example.com MX": "nxdomain", "typo.example.com TXT": "nxdomain", "typo.example.com A": "nxdomain", "typo.example.com AAAA": "nxdomain" }));
    expect(summary(f)).toEqual(["domain-exists typo.example.com error"]);
  });
  test("passes a name that exists without records (NODATA), and one whose lookups failed", () => {
    expect(check("domain-exists", [], live({ "typo.example.com MX": "nodata", "typo.example.com TXT": "nodata" }))).toEqual([]);
    expect(check("domain-exists", [], live({ "typo.example.com MX": "SERVFAIL from 127.0.0.1:53" }))).toEqual([]);
  });
  test("applies only to the mail domains a live check is about", () => {
    expect(check("domain-exists", [rr("example.com", "MX", "10 mx.example.com.")])).toEqual([]);
  });
});

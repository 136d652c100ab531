import { check, rr, summary } from "../../helpers/rules";

const live = (outcome: string) => ({ live: true, facts: { mailDomains: ["example.com"], questions: { "example.com MX": outcome, "example.com A": "answer" } } });

describe("mx-present (RFC 5321 §5.1, RFC 7505)", () => {
  test("passes MX records, and a null MX", () => {
    expect(check("mx-present", [rr("example.com", "MX", "10 mx.example.com.")], live("answer"))).toEqual([]);
    expect(check("mx-present", [rr("example.com", "MX", "0 .")], live("answer"))).toEqual([]);
  });
  test("flags no MX, saying where senders would deliver instead (implicit MX)", () => {
    const f = check("mx-present", [rr("example.com", "A", "192.0.2.80")], live("nodata"));
    expect(summary(f)).toEqual(["mx-present example.com MX error"]);
    expect(f[0]?.message).toMatch(/implicit MX/);
    expect(check("mx-present", [], live("nodata"))[0]?.message).toMatch(/no MX record and no address/);
  });
  test("leaves a failed or NXDOMAIN question to dns-answers and domain-exists", () => {
    expect(check("mx-present", [], live("SERVFAIL from 127.0.0.1:53"))).toEqual([]);
    expect(check("mx-present", [], live("nxdomain"))).toEqual([]);
  });
});

import { check, rr, summary } from "../../helpers/rules";

const live = (outcome = "answer") => ({ live: true, facts: { mailDomains: ["example.com"], questions: { "example.com TXT": outcome } } });

describe("spf-present (RFC 7208 §4.5)", () => {
  test("passes an SPF record among other TXT, in any case", () => {
    expect(check("spf-present", [rr("example.com", "TXT", "site-verification=1", "V=SPF1 -ALL")], live())).toEqual([]);
  });
  test("flags a mail domain without one, including a near miss", () => {
    expect(summary(check("spf-present", [rr("example.com", "TXT", "v=spf1mx -all")], live()))).toEqual(["spf-present example.com SPF error"]);
    expect(summary(check("spf-present", [], live("nodata")))).toEqual(["spf-present example.com SPF error"]);
  });
  test("leaves a failed question to dns-answers", () => {
    expect(check("spf-present", [], live("timeout"))).toEqual([]);
  });
});

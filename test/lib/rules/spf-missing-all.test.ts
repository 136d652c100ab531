import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-missing-all (RFC 7208 §4.7)", () => {
  test("passes a record with all or redirect", () => {
    expect(check("spf-missing-all", goodDomain)).toEqual([]);
    expect(check("spf-missing-all", [rr("example.com", "TXT", "v=spf1 redirect=_spf.example.com")])).toEqual([]);
  });
  test("warns when neither is there", () => {
    expect(summary(check("spf-missing-all", [rr("example.com", "TXT", "v=spf1 mx")]))).toEqual(["spf-missing-all example.com SPF warning"]);
  });
});

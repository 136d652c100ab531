import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-no-plus-all (RFC 7208 §5.1)", () => {
  test("passes -all, ~all and ?all", () => {
    expect(check("spf-no-plus-all", goodDomain)).toEqual([]);
    expect(check("spf-no-plus-all", [rr("a.example.com", "TXT", "v=spf1 ~all"), rr("b.example.com", "TXT", "v=spf1 ?all")])).toEqual([]);
  });
  test("flags +all and a bare all", () => {
    const f = check("spf-no-plus-all", [rr("a.example.com", "TXT", "v=spf1 +all"), rr("b.example.com", "TXT", "v=spf1 mx all")]);
    expect(summary(f)).toEqual(["spf-no-plus-all a.example.com SPF error", "spf-no-plus-all b.example.com SPF error"]);
  });
});

import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mx-hosts-distinct (RFC 5321 §5.1)", () => {
  test("passes distinct hosts", () => {
    expect(check("mx-hosts-distinct", goodDomain)).toEqual([]);
    expect(check("mx-hosts-distinct", [rr("example.com", "MX", "10 a.example.com.", "20 b.example.com.")])).toEqual([]);
  });
  test("flags a host listed twice, whatever the case or trailing dot", () => {
    expect(summary(check("mx-hosts-distinct", [rr("example.com", "MX", "10 mail.example.com.", "20 MAIL.example.com")]))).toEqual(["mx-hosts-distinct example.com MX warning"]);
  });
});

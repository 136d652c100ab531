import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("spf-single-record (RFC 7208 §4.5)", () => {
  test("passes one SPF beside other TXT", () => expect(check("spf-single-record", goodDomain)).toEqual([]));
  test("flags two SPF records at one name", () => {
    expect(summary(check("spf-single-record", [rr("example.com", "TXT", "v=spf1 mx -all"), rr("example.com", "TXT", "v=spf1 include:x.example.net -all")]))).toEqual([
      "spf-single-record example.com SPF error",
    ]);
  });
});

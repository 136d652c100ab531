import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("duplicate-record (RFC 2181 §5)", () => {
  test("passes distinct records", () => expect(check("duplicate-record", goodDomain)).toEqual([]));
  test("flags the same record twice, across record sets and spellings", () => {
    const f = check("duplicate-record", [rr("example.com", "MX", "10 mail.example.com."), rr("example.com", "MX", "10 Mail.Example.com"), rr("example.com", "TXT", "a", "a")]);
    expect(summary(f)).toEqual(["duplicate-record example.com MX error", "duplicate-record example.com TXT error"]);
  });
});

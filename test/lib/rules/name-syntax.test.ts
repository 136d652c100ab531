import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("name-syntax (RFC 1035 §2.3.4, RFC 1123 §2.1)", () => {
  test("passes valid owner and target names", () => expect(check("name-syntax", goodDomain)).toEqual([]));
  test("flags bad owner names and bad targets", () => {
    const f = check("name-syntax", [
      rr("mail_1.example.com", "A", "192.0.2.1"),
      rr("example.com", "MX", "10 bad..example.com."),
      rr(`${"a".repeat(64)}.example.com`, "TXT", "x"),
    ]);
    expect(summary(f)).toEqual([
      "name-syntax mail_1.example.com A error",
      "name-syntax example.com MX error",
      `name-syntax ${"a".repeat(64)}.example.com TXT error`,
    ]);
  });
});

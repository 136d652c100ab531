import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("dmarc-syntax (RFC 7489 §6.3–6.4)", () => {
  test("passes a valid record", () => expect(check("dmarc-syntax", goodDomain)).toEqual([]));
  test("flags bad values; p after other tags is a warning (RFC 9989 allows it, RFC 7489 receivers may not)", () => {
    const f = check("dmarc-syntax", [rr("_dmarc.example.com", "TXT", "v=DMARC1; rua=mailto:d@example.com; p=reject; adkim=x")]);
    expect(summary(f)).toEqual(["dmarc-syntax _dmarc.example.com TXT warning", "dmarc-syntax _dmarc.example.com TXT error"]);
  });
  test("mixed-case tags and values are valid", () => {
    expect(check("dmarc-syntax", [rr("_dmarc.example.com", "TXT", "v=DMARC1; p=Quarantine; adkim=S; ASPF=r")])).toEqual([]);
  });
  test("a record that does not start with v=DMARC1 is left to dmarc-near-miss", () => {
    expect(check("dmarc-syntax", [rr("_dmarc.example.net", "TXT", "v=DMARC2; p=reject")])).toEqual([]);
  });
});

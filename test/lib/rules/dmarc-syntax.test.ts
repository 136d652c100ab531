import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("dmarc-syntax (RFC 7489 §6.3–6.4)", () => {
  test("passes a valid record", () => expect(check("dmarc-syntax", goodDomain)).toEqual([]));
  test("flags p out of order, bad values, and a near-miss version", () => {
    const f = check("dmarc-syntax", [rr("_dmarc.example.com", "TXT", "v=DMARC1; rua=mailto:d@example.com; p=reject; adkim=x"), rr("_dmarc.example.net", "TXT", "v=DMARC2; p=reject")]);
    expect(summary(f)).toEqual(["dmarc-syntax _dmarc.example.com TXT error", "dmarc-syntax _dmarc.example.com TXT error", "dmarc-syntax _dmarc.example.net TXT error"]);
  });
});

import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("dmarc-near-miss (RFC 9989, RFC 7489 §6.1)", () => {
  test("passes DMARC records at _dmarc, and report authorisations", () => {
    expect(check("dmarc-near-miss", goodDomain)).toEqual([]);
    expect(check("dmarc-near-miss", [rr("example.com._report._dmarc.example.net", "TXT", "v=DMARC1"), rr("_dmarc.example.com", "TXT", "V = DMARC1; P=Reject")])).toEqual([]);
  });
  test.each([["p=reject; v=DMARC1"], ["v=dmarc1; p=reject"], ["v=DMARC2; p=reject"], [" x v=DMARC1; p=reject"]])("flags %j at _dmarc", (value) => {
    expect(summary(check("dmarc-near-miss", [rr("_dmarc.example.com", "TXT", value)]))).toEqual(["dmarc-near-miss _dmarc.example.com TXT error"]);
  });
  test("flags a DMARC record at the domain itself", () => {
    expect(summary(check("dmarc-near-miss", [rr("example.com", "TXT", "v=DMARC1; p=reject")]))).toEqual(["dmarc-near-miss example.com TXT error"]);
  });
});

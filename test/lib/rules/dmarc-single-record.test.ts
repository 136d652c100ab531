import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("dmarc-single-record (RFC 7489 §6.6.3)", () => {
  test("passes one record", () => expect(check("dmarc-single-record", goodDomain)).toEqual([]));
  test("flags two", () => {
    expect(summary(check("dmarc-single-record", [rr("_dmarc.example.com", "TXT", "v=DMARC1; p=reject", "v=DMARC1; p=none")]))).toEqual(["dmarc-single-record _dmarc.example.com TXT error"]);
  });
});

import { check, goodDomain, rr, summary } from "../../helpers/rules";

const dmarc = rr("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:reports@example.net");

describe("dmarc-external-destination (RFC 7489 §7.1)", () => {
  test("passes reports inside the organisation, and authorised external ones", () => {
    expect(check("dmarc-external-destination", goodDomain)).toEqual([]);
    expect(check("dmarc-external-destination", [dmarc, rr("example.com._report._dmarc.example.net", "TXT", "v=DMARC1")], { zones: ["example.com", "example.net"] })).toEqual([]);
  });
  test("flags a missing authorisation in a zone the view holds", () => {
    expect(summary(check("dmarc-external-destination", [dmarc], { zones: ["example.com", "example.net"] }))).toEqual(["dmarc-external-destination _dmarc.example.com TXT error"]);
  });
  test("warns when the destination's zone is not known", () => {
    expect(summary(check("dmarc-external-destination", [dmarc]))).toEqual(["dmarc-external-destination _dmarc.example.com TXT warning"]);
  });
});

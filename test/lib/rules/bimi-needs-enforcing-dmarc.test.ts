import { check, rr, summary } from "../../helpers/rules";

describe("bimi-needs-enforcing-dmarc (BIMI draft §4.3, RFC 9989)", () => {
  const bimi = rr("default._bimi.example.com", "TXT", "v=BIMI1; l=https://example.com/logo.svg");
  const run = (dmarc: string) => check("bimi-needs-enforcing-dmarc", [bimi, rr("_dmarc.example.com", "TXT", dmarc)]);
  test.each(["v=DMARC1; p=quarantine", "v=DMARC1; p=reject; sp=quarantine"])("passes %s", (d) => expect(run(d)).toEqual([]));
  test.each(["v=DMARC1; p=none", "v=DMARC1; p=reject; sp=none"])("flags %s", (d) => expect(summary(run(d))).toEqual(["bimi-needs-enforcing-dmarc default._bimi.example.com TXT error"]));
  test("no DMARC at all, in a zone the view holds", () => {
    expect(summary(check("bimi-needs-enforcing-dmarc", [bimi], { zones: ["example.com"] }))).toEqual(["bimi-needs-enforcing-dmarc default._bimi.example.com TXT error"]);
  });
});

import { check, rr, summary } from "../../helpers/rules";

describe("bimi-record-syntax (BIMI draft §4.2)", () => {
  const at = (v: string) => check("bimi-record-syntax", [rr("default._bimi.example.com", "TXT", v)]);
  test.each(["v=BIMI1; l=https://example.com/logo.svg", "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem", "v=BIMI1; l=;"])("passes %s", (v) => expect(at(v)).toEqual([]));
  test.each(["v=BIMI1; l=http://example.com/logo.svg", "v=BIMI1", "v=BIMI1; l=https://example.com/l.svg; a=ftp://x", "v=BIMI1; l=https://example.com/a.svg; l=https://example.com/b.svg"])("flags %s", (v) => {
    expect(summary(at(v))).toEqual(["bimi-record-syntax default._bimi.example.com TXT error"]);
  });
});

import { splitTxt } from "../../../lib/txt";
import { check, rr, summary } from "../../helpers/rules";

describe("txt-string-length (RFC 1035 §3.3)", () => {
  const long = `v=DKIM1; k=rsa; p=${"A".repeat(400)}`;
  test("passes strings split to at most 255 octets", () => {
    expect(check("txt-string-length", [{ ...rr("s._domainkey.example.com", "TXT", long), strings: [splitTxt(long)] }])).toEqual([]);
  });
  test("flags a string over 255 octets as the provider would send it", () => {
    const f = check("txt-string-length", [{ ...rr("s._domainkey.example.com", "TXT", long), strings: [[long]] }]);
    expect(summary(f)).toEqual(["txt-string-length s._domainkey.example.com TXT error"]);
  });
});

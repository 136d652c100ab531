import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("dmarc-policy-none (RFC 7489 §6.3)", () => {
  test("passes p=reject", () => expect(check("dmarc-policy-none", goodDomain)).toEqual([]));
  test("warns on p=none", () => {
    expect(summary(check("dmarc-policy-none", [rr("_dmarc.example.com", "TXT", "v=DMARC1; p=none")]))).toEqual(["dmarc-policy-none _dmarc.example.com TXT warning"]);
  });
});

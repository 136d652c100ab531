import { check, rr, summary } from "../../helpers/rules";

describe("mta-sts-record-syntax (RFC 8461 §3.1)", () => {
  const at = (v: string) => check("mta-sts-record-syntax", [rr("_mta-sts.example.com", "TXT", v)]);
  test.each(["v=STSv1; id=20261128", "v=STSv1;id=abc;", "v=STSv1; id=A1; ext_1=value"])("passes %s", (v) => expect(at(v)).toEqual([]));
  test.each(["v=STSv1; id=2026-11-28", "v=STSv1", "v=stsv1; id=1", "v=STSv1; id=1; id=2", `v=STSv1; id=${"a".repeat(33)}`, "v=STSv1; id=1; bad ext=1"])("flags %s", (v) => {
    expect(summary(at(v))).toEqual(["mta-sts-record-syntax _mta-sts.example.com TXT error"]);
  });
  test("text elsewhere is not judged", () => expect(check("mta-sts-record-syntax", [rr("example.com", "TXT", "v=STSv1; id=-")])).toEqual([]));
});

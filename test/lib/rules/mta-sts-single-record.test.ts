import { check, rr, summary } from "../../helpers/rules";

describe("mta-sts-single-record (RFC 8461 §3.1)", () => {
  test("passes one record beside other text", () => expect(check("mta-sts-single-record", [rr("_mta-sts.example.com", "TXT", "v=STSv1; id=1", "other")])).toEqual([]));
  test("flags two", () => {
    expect(summary(check("mta-sts-single-record", [rr("_mta-sts.example.com", "TXT", "v=STSv1; id=1", "v=STSv1; id=2")]))).toEqual(["mta-sts-single-record _mta-sts.example.com TXT error"]);
  });
});

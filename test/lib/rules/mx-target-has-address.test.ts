import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mx-target-has-address (RFC 5321 §5.1)", () => {
  test("passes when the target has A/AAAA", () => expect(check("mx-target-has-address", goodDomain)).toEqual([]));
  test("flags a target inside the zone without addresses", () => {
    expect(summary(check("mx-target-has-address", [rr("example.com", "MX", "10 mx.example.com.")]))).toEqual(["mx-target-has-address example.com MX error"]);
  });
  test("leaves targets in zones the view does not hold to live checks", () => {
    expect(check("mx-target-has-address", [rr("example.com", "MX", "10 aspmx.l.example.net.")])).toEqual([]);
  });
  test("a live view knows the names whose questions were answered, and no others", () => {
    const mx = [rr("example.net", "MX", "10 mx.example.net.")];
    const asked = (outcome: string) => ({ zones: ["example.net"], live: true, facts: { questions: { "mx.example.net A": outcome, "mx.example.net AAAA": "nodata", "mx.example.net CNAME": "nodata" } } });
    expect(summary(check("mx-target-has-address", mx, asked("nxdomain")))).toEqual(["mx-target-has-address example.net MX error"]);
    // A failed question proves nothing: the check is left to dns-answers' "could not verify".
    expect(check("mx-target-has-address", mx, asked("SERVFAIL from 127.0.0.1:53"))).toEqual([]);
    expect(check("mx-target-has-address", mx, { zones: ["example.net"], live: true })).toEqual([]);
  });
});

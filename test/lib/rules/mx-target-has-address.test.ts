import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mx-target-has-address (RFC 5321 §5.1)", () => {
  test("passes when the target has A/AAAA", () => expect(check("mx-target-has-address", goodDomain)).toEqual([]));
  test("flags a target inside the zone without addresses", () => {
    expect(summary(check("mx-target-has-address", [rr("example.com", "MX", "10 mx.example.com.")]))).toEqual(["mx-target-has-address example.com MX error"]);
  });
  test("leaves targets in zones the view does not hold to live checks", () => {
    expect(check("mx-target-has-address", [rr("example.com", "MX", "10 aspmx.l.example.net.")])).toEqual([]);
  });
  test("a live view knows every name", () => {
    const f = check("mx-target-has-address", [rr("example.net", "MX", "10 mx.example.net.")], { zones: ["example.net"], live: true });
    expect(summary(f)).toEqual(["mx-target-has-address example.net MX error"]);
  });
});

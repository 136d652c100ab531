import { mxMatches, renderMtaStsPolicy } from "../../../lib/mta-sts";
import { check, rr, summary } from "../../helpers/rules";

describe("mta-sts-policy-covers-mx (RFC 8461 §4.1)", () => {
  const run = (mode: "enforce" | "testing" | "none", mx: string[], hosts: string[]) =>
    check("mta-sts-policy-covers-mx", [rr("example.com", "MX", ...hosts.map((h, i) => `${10 * (i + 1)} ${h}.`))], { facts: { mtaSts: { "example.com": { text: renderMtaStsPolicy({ mode, maxAge: 86400, mx }) } } } });
  test("a wildcard matches exactly one leftmost label", () => {
    expect(mxMatches("*.example.com", "mx1.example.com")).toBe(true);
    expect(mxMatches("*.example.com", "a.b.example.com")).toBe(false);
    expect(mxMatches("*.example.com", "example.com")).toBe(false);
    expect(mxMatches("MX.example.com.", "mx.EXAMPLE.com")).toBe(true);
  });
  test("passes patterns covering every MX host", () => expect(run("enforce", ["*.example.com"], ["mx1.example.com", "mx2.example.com"])).toEqual([]));
  test("an MX host outside the policy: error in enforce, warning in testing, nothing in none", () => {
    expect(summary(run("enforce", ["mx1.example.com"], ["mx1.example.com", "mx2.example.com"]))).toEqual(["mta-sts-policy-covers-mx example.com MX error"]);
    expect(summary(run("testing", ["mx1.example.com"], ["mx1.example.com", "mx2.example.com"]))).toEqual(["mta-sts-policy-covers-mx example.com MX warning"]);
    expect(run("none", [], ["mx1.example.com"])).toEqual([]);
  });
  test("a stale pattern is a warning", () => {
    expect(summary(run("enforce", ["mx1.example.com", "old.example.com"], ["mx1.example.com"]))).toEqual(["mta-sts-policy-covers-mx https://mta-sts.example.com/.well-known/mta-sts.txt warning"]);
  });
});

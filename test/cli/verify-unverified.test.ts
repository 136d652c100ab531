import { runRulesLive } from "../../cli/verify";
import { runRules } from "../../lib/rules";
import { createView, ViewRecord } from "../../lib/view";

/**
 * A rule that finds nothing has passed only if DNS answered what it read: on
 * a live view, a rule that read a name whose question failed is reported
 * "could not verify", not counted as passed.
 */
const records: ViewRecord[] = [
  { name: "example.com", type: "MX", values: ["10 mx1.example.com."] },
  { name: "mx1.example.com", type: "A", values: ["192.0.2.1"] },
];
const answered = {
  "example.com MX": "answer",
  "mx1.example.com A": "answer",
  "mx1.example.com AAAA": "nodata",
};

describe("verify: rules that need an unanswered question", () => {
  test("the PTR question failed: ptr-present and ptr-forward-confirmed could not verify; the catalogue alone would have let them pass", () => {
    const questions = { ...answered, "1.2.0.192.in-addr.arpa PTR": "SERVFAIL from 127.0.0.1:53" };
    const view = createView(records, { live: true, facts: { questions } });
    expect(runRules(view, { only: ["ptr-present", "ptr-forward-confirmed"] })).toEqual([]);
    const findings = runRulesLive(view);
    for (const id of ["ptr-present", "ptr-forward-confirmed"]) {
      expect(findings).toContainEqual(expect.objectContaining({
        ruleId: id, unverified: true, subject: "1.2.0.192.in-addr.arpa",
        message: "could not verify: it needs 1.2.0.192.in-addr.arpa PTR (SERVFAIL from 127.0.0.1:53), which DNS did not answer",
      }));
    }
    // Rules that read only answered questions are not touched.
    expect(findings.filter((f) => f.ruleId === "mx-target-has-address")).toEqual([]);
  });

  test("the PTR question answered: the same rules report on the answer, nothing is unverified", () => {
    const questions = { ...answered, "1.2.0.192.in-addr.arpa PTR": "answer" };
    const view = createView([...records, { name: "1.2.0.192.in-addr.arpa", type: "PTR", values: ["mx1.example.com."] }], { live: true, facts: { questions } });
    expect(runRulesLive(view).filter((f) => f.ruleId.startsWith("ptr-"))).toEqual([]);
    const none = createView(records, { live: true, facts: { questions: { ...answered, "1.2.0.192.in-addr.arpa PTR": "nxdomain" } } });
    expect(runRulesLive(none).filter((f) => f.ruleId === "ptr-present")).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("has no PTR record") })]);
    expect(runRulesLive(none).some((f) => f.unverified && f.ruleId.startsWith("ptr-"))).toBe(false);
  });

  test("several failed questions are named once per outcome", () => {
    const questions = { "example.com MX": "answer", "mx1.example.com A": "SERVFAIL from 127.0.0.1:53", "mx1.example.com AAAA": "SERVFAIL from 127.0.0.1:53", "mx1.example.com CNAME": "timeout from 127.0.0.1:53" };
    const view = createView([records[0] as ViewRecord], { live: true, facts: { questions } });
    const f = runRulesLive(view).find((x) => x.ruleId === "mx-target-has-address");
    expect(f?.message).toBe("could not verify: it needs mx1.example.com A, mx1.example.com AAAA (SERVFAIL from 127.0.0.1:53), mx1.example.com CNAME (timeout from 127.0.0.1:53), which DNS did not answer");
  });

  test("a disabled rule stays off; an unknown id is an error", () => {
    const view = createView(records, { live: true, facts: { questions: { ...answered, "1.2.0.192.in-addr.arpa PTR": "timeout from 127.0.0.1:53" } } });
    expect(runRulesLive(view, ["ptr-present"]).some((f) => f.ruleId === "ptr-present")).toBe(false);
    expect(() => runRulesLive(view, ["ptr-presnt"])).toThrow(/unknown rule id/);
  });
});

import { check, rr, summary } from "../../helpers/rules";

const dmarc = (to: string) => rr("_dmarc.example.com", "TXT", `v=DMARC1; p=reject; rua=mailto:${to}`);
const asked = (d: string, outcome = "nodata") => Object.fromEntries(["MX", "A", "AAAA"].map((t) => [`${d} ${t}`, outcome]));
const live = (questions: Record<string, string>) => ({ live: true, facts: { questions } });

describe("dmarc-report-destination (RFC 9990, RFC 7489 §7.1)", () => {
  test("passes a destination with MX records, or with an address (implicit MX)", () => {
    expect(check("dmarc-report-destination", [dmarc("d@example.com"), rr("example.com", "MX", "10 mx.example.com.")], live(asked("example.com", "answer")))).toEqual([]);
    expect(check("dmarc-report-destination", [dmarc("d@example.com"), rr("example.com", "A", "192.0.2.1")], live(asked("example.com", "answer")))).toEqual([]);
  });
  test("flags a destination without MX or address, and one with a null MX", () => {
    expect(summary(check("dmarc-report-destination", [dmarc("d@r.example.com")], live(asked("r.example.com"))))).toEqual(["dmarc-report-destination _dmarc.example.com TXT error"]);
    expect(summary(check("dmarc-report-destination", [dmarc("d@r.example.com"), rr("r.example.com", "MX", "0 .")], live(asked("r.example.com", "answer"))))).toEqual(["dmarc-report-destination _dmarc.example.com TXT error"]);
  });
  test("a failed question, or a stack view, is not judged", () => {
    expect(check("dmarc-report-destination", [dmarc("d@r.example.com")], live({ ...asked("r.example.com"), "r.example.com MX": "SERVFAIL from x" }))).toEqual([]);
    expect(check("dmarc-report-destination", [dmarc("d@r.example.com")])).toEqual([]);
  });
});

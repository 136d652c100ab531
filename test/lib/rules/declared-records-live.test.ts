import { check, rr, summary } from "../../helpers/rules";

describe("declared-records-live", () => {
  const live = [rr("example.com", "MX", "10 mx1.example.com."), rr("mx1.example.com", "A", "192.0.2.10"), rr("example.com", "TXT", "v=spf1 mx -all")];
  test("passes when live DNS serves what was declared (spellings normalised)", () => {
    const expected = [
      { name: "example.com", type: "MX", values: ["10 MX1.example.com"] },
      { name: "mx1.example.com", type: "A", values: ["192.0.2.10"] },
      { name: "example.com", type: "TXT", values: ["v=spf1 mx -all"] },
    ];
    expect(check("declared-records-live", live, { live: true, facts: { expected } })).toEqual([]);
  });
  test("flags missing, changed and undeclared values", () => {
    const expected = [
      { name: "mx1.example.com", type: "A", values: ["192.0.2.11"] },
      { name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=reject"] },
    ];
    expect(summary(check("declared-records-live", live, { live: true, facts: { expected } }))).toEqual([
      "declared-records-live mx1.example.com A error",
      "declared-records-live _dmarc.example.com TXT error",
    ]);
  });
  test("does nothing without declared records", () => expect(check("declared-records-live", live)).toEqual([]));
});

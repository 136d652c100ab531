import { check, rr, summary } from "../../helpers/rules";

describe("tlsa-record-syntax (RFC 6698 §2.1, RFC 7672 §3.1.3)", () => {
  const hex = "ab".repeat(32);
  const at = (name: string, v: string) => check("tlsa-record-syntax", [rr(name, "TLSA", v)]);
  test.each([`3 1 1 ${hex}`, `2 1 1 ${hex.toUpperCase()}`, `3 0 2 ${"cd".repeat(64)}`, "3 1 0 3059301306072a8648ce3d0201", `3 1 1 ${hex.slice(0, 20)} ${hex.slice(20)}`])("passes %s", (v) => {
    expect(at("_25._tcp.mx.example.com", v)).toEqual([]);
  });
  test.each(["3 1 1", `4 1 1 ${hex}`, `3 2 1 ${hex}`, "3 1 3 00", "3 1 1 abcd", "3 1 1 xyz", `x 1 1 ${hex}`, `0 1 1 ${hex}`, `1 1 1 ${hex}`])("flags %s", (v) => {
    expect(summary(at("_25._tcp.mx.example.com", v))).toEqual(["tlsa-record-syntax _25._tcp.mx.example.com TLSA error"]);
  });
  test("PKIX usages are fine for other services (HTTPS)", () => expect(at("_443._tcp.www.example.com", `1 1 1 ${hex}`)).toEqual([]));
  test("every problem of every value of a set is reported", () => {
    // "9 9 9 zz": usage, selector, matching type and data are all wrong.
    expect(check("tlsa-record-syntax", [rr("_25._tcp.mx.example.com", "TLSA", "3 1 1 00", `3 1 1 ${hex}`, "9 9 9 zz")]).length).toBe(5);
  });
});

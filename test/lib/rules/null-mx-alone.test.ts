import { check, rr, summary } from "../../helpers/rules";

describe("null-mx-alone (RFC 7505 §3)", () => {
  test("passes a lone null MX", () => expect(check("null-mx-alone", [rr("example.com", "MX", "0 .")])).toEqual([]));
  test("flags a null MX beside another MX", () => {
    expect(summary(check("null-mx-alone", [rr("example.com", "MX", "0 .", "10 mail.example.com.")]))).toEqual(["null-mx-alone example.com MX error"]);
  });
  test("warns on a null MX with a preference other than 0", () => {
    expect(summary(check("null-mx-alone", [rr("example.com", "MX", "10 .")]))).toEqual(["null-mx-alone example.com MX warning"]);
  });
});

import { checkMx, formatMx, isNullMx, parseMx } from "../../lib/mx";
import { MailDnsError } from "../../lib/errors";

function codeOf(f: () => unknown): [string, string | undefined] | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof MailDnsError ? [e.code, e.ruleId] : undefined;
  }
}

describe("MX (RFC 5321 §5.1, RFC 7505)", () => {
  test("parse and format, including the null MX", () => {
    expect(parseMx("10 Mail.Example.com.")).toEqual({ preference: 10, exchange: "mail.example.com" });
    expect(parseMx("0 .")).toEqual({ preference: 0, exchange: "" });
    expect(isNullMx(parseMx("0 .")!)).toBe(true);
    expect(formatMx({ preference: 0, exchange: "" })).toBe("0 .");
    expect(formatMx({ preference: 5, exchange: "mx.example.com" })).toBe("5 mx.example.com.");
    expect(parseMx("70000 mx.example.com")).toBeUndefined();
    expect(parseMx("mx.example.com")).toBeUndefined();
  });

  test("checkMx: preference range, address targets, bad names", () => {
    expect(checkMx(10, "MX.example.com.")).toEqual({ preference: 10, exchange: "mx.example.com" });
    expect(codeOf(() => checkMx(65536, "mx.example.com"))).toEqual(["invalid-mx", undefined]);
    expect(codeOf(() => checkMx(1.5, "mx.example.com"))).toEqual(["invalid-mx", undefined]);
    expect(codeOf(() => checkMx(10, "192.0.2.1"))).toEqual(["invalid-mx", "mx-not-ip-literal"]);
    expect(codeOf(() => checkMx(10, "[2001:db8::1]"))).toEqual(["invalid-mx", "mx-not-ip-literal"]);
    expect(codeOf(() => checkMx(10, "mx_1.example.com"))).toEqual(["invalid-mx", "name-syntax"]);
  });
});

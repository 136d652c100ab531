import { renderMtaStsPolicy } from "../../../lib/mta-sts";
import { check, rr, summary } from "../../helpers/rules";

describe("mta-sts-policy-syntax (RFC 8461 §3.2, §3.3)", () => {
  const with_ = (p: { text?: string; error?: string; kind?: "invalid" | "unreachable" }) => check("mta-sts-policy-syntax", [rr("example.com", "MX", "10 mx.example.com.")], { facts: { mtaSts: { "example.com": p } } });
  const url = "https://mta-sts.example.com/.well-known/mta-sts.txt";
  test("passes what maildns renders, and CRLF line ends", () => {
    const text = renderMtaStsPolicy({ mode: "enforce", maxAge: 604800, mx: ["mx.example.com"] });
    expect(with_({ text })).toEqual([]);
    expect(with_({ text: text.replace(/\n/g, "\r\n") })).toEqual([]);
  });
  test.each([
    ["mode: strict", "version: STSv1\nmode: strict\nmx: mx.example.com\nmax_age: 86400\n"],
    ["version not first", "mode: enforce\nversion: STSv1\nmx: mx.example.com\nmax_age: 86400\n"],
    ["max_age over a year", "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601\n"],
    ["enforce without mx", "version: STSv1\nmode: enforce\nmax_age: 86400\n"],
    ["a bad mx pattern", "version: STSv1\nmode: testing\nmx: mail.*.example.com\nmax_age: 86400\n"],
    ["no version", "mode: none\nmax_age: 86400\n"],
  ])("flags %s", (_what, text) => expect(summary(with_({ text }))[0]).toBe(`mta-sts-policy-syntax ${url} error`));
  test("an unusable answer is an error; an unreachable server is not verified", () => {
    expect(summary(with_({ error: "HTTP 301 (redirects are not followed)", kind: "invalid" }))).toEqual([`mta-sts-policy-syntax ${url} error`]);
    const f = with_({ error: "ECONNREFUSED", kind: "unreachable" });
    expect(summary(f)).toEqual([`mta-sts-policy-syntax ${url} warning`]);
    expect(f[0]?.unverified).toBe(true);
  });
});

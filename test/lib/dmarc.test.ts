import { buildDmarc, externalDestinations, parseDmarc, parseReportUri, specFromTags } from "../../lib/dmarc";
import { MailDnsError } from "../../lib/errors";

const ids = (text: string) => parseDmarc(text).findings.map((f) => `${f.ruleId}:${f.severity}`);

describe("DMARC (RFC 7489 §6.3, §6.4, §7.1; DMARCbis)", () => {
  test("the examples of RFC 7489 Appendix B.2 parse cleanly", () => {
    for (const r of [
      "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
      "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@thirdparty.example.net",
      "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; pct=25",
    ]) {
      expect(ids(r).filter((x) => x.endsWith(":error"))).toEqual([]);
    }
  });

  test("report URIs with size limits (§6.4)", () => {
    expect(parseReportUri("mailto:tld-test@thirdparty.example.net!10m")).toEqual({
      uri: "mailto:tld-test@thirdparty.example.net!10m", address: "tld-test@thirdparty.example.net", domain: "thirdparty.example.net", maxBytes: 10 * 2 ** 20,
    });
    expect(typeof parseReportUri("https://example.com/report")).toBe("string");
    expect(typeof parseReportUri("mailto:nobody")).toBe("string");
    expect(typeof parseReportUri("mailto:a@example.com!10q")).toBe("string");
  });

  test("v first, p second, exactly once each (§6.3)", () => {
    expect(ids("p=reject; v=DMARC1")).toEqual(["dmarc-syntax:error"]);
    expect(ids("v=DMARC1; rua=mailto:a@example.com; p=reject")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; p=none")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; sp=reject")).toContain("dmarc-syntax:error");
    expect(ids("v=dmarc1; p=reject")).toEqual(["dmarc-syntax:error"]);
  });

  test("bad values are errors; unknown and deprecated tags are warnings", () => {
    expect(ids("v=DMARC1; p=block")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; adkim=x")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; pct=101")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; fo=2")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; foo=bar")).toEqual(["dmarc-syntax:warning"]);
    expect(ids("v=DMARC1; p=reject; pct=50")).toEqual(["dmarc-syntax:warning"]);
  });

  test("DMARCbis tags np, psd, t", () => {
    const r = parseDmarc("v=DMARC1; p=reject; np=reject; psd=n; t=n");
    expect(r.findings).toEqual([]);
    expect(r.tags).toMatchObject({ np: "reject", psd: "n", t: "n" });
    expect(ids("v=DMARC1; p=reject; t=maybe")).toContain("dmarc-syntax:error");
  });

  test("external destinations and their authorisation record name (§7.1)", () => {
    const tags = parseDmarc("v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:reports@thirdparty.example.net; ruf=mailto:f@sub.example.com").tags!;
    expect(externalDestinations("example.com", tags).map((e) => e.authorizationName)).toEqual(["example.com._report._dmarc.thirdparty.example.net"]);
  });

  test("builder: canonical order, %-encoding, round trip, errors", () => {
    const text = buildDmarc({ p: "reject", sp: "quarantine", adkim: "s", rua: ["dmarc@example.com"], ruf: ["mailto:f@example.net!5m"], fo: ["1", "d"] });
    expect(text).toBe("v=DMARC1; p=reject; sp=quarantine; adkim=s; rua=mailto:dmarc@example.com; ruf=mailto:f@example.net!5m; fo=1:d");
    expect(buildDmarc(specFromTags(parseDmarc(text).tags!)!)).toBe(text);
    expect(() => buildDmarc({ p: "reject", rua: ["not-an-address"] })).toThrow(MailDnsError);
  });
});

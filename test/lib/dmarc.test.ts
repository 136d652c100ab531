import { buildDmarc, externalDestinations, parseDmarc, parseReportUri, specFromTags } from "../../lib/dmarc";
import { MailDnsError } from "../../lib/errors";

const ids = (text: string) => parseDmarc(text).findings.map((f) => `${f.ruleId}:${f.severity}`);

describe("DMARC (RFC 9989; RFC 7489 §6.3, §6.4, §7.1)", () => {
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

  test("v first; each tag once; p required; p after other tags is RFC 9989-valid, a warning for RFC 7489 receivers", () => {
    expect(ids("p=reject; v=DMARC1")).toEqual(["dmarc-syntax:error"]);
    expect(ids("v=DMARC1; rua=mailto:a@example.com; p=reject")).toEqual(["dmarc-syntax:warning"]);
    expect(parseDmarc("v=DMARC1; rua=mailto:a@example.com; p=reject").findings[0]?.rfc).toBe("RFC 9989, RFC 7489 §6.3");
    expect(ids("v=DMARC1; p=reject; p=none")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; sp=reject")).toContain("dmarc-syntax:error");
    // "DMARC1" is %x44.4D.41.52.43.31: case-sensitive.
    expect(ids("v=dmarc1; p=reject")).toEqual(["dmarc-syntax:error"]);
  });

  test("tag names and literal values are case-insensitive (RFC 5234 §2.3)", () => {
    for (const r of ["v=DMARC1; p=Quarantine", "v=DMARC1; p=REJECT; adkim=S; aspf=R", "V=DMARC1; P=reject; SP=None; NP=Reject; FO=D:S; T=Y; PSD=N", "v = DMARC1 ; p = reject", "v=DMARC1; p=reject; rua=MAILTO:dmarc@example.com"]) {
      expect([r, ids(r)]).toEqual([r, []]);
    }
    expect(parseDmarc("v=DMARC1; p=Quarantine; adkim=S").tags).toMatchObject({ p: "quarantine", adkim: "s" });
  });

  test("bad values are errors; unknown tags and the tags RFC 9989 removed are warnings", () => {
    expect(ids("v=DMARC1; p=block")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; adkim=x")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; fo=2")).toContain("dmarc-syntax:error");
    expect(ids("v=DMARC1; p=reject; foo=bar")).toEqual(["dmarc-syntax:warning"]);
    expect(ids("v=DMARC1; p=reject; pct=50")).toEqual(["dmarc-syntax:warning"]);
    expect(ids("v=DMARC1; p=reject; pct=101")).toEqual(["dmarc-syntax:warning", "dmarc-syntax:warning"]);
    expect(ids("v=DMARC1; p=reject; rf=afrf; ri=86400")).toEqual(["dmarc-syntax:warning", "dmarc-syntax:warning"]);
    for (const f of parseDmarc("v=DMARC1; p=reject; pct=50").findings) expect(f.message).toMatch(/removed by RFC 9989.*RFC 7489 receivers still read it/);
  });

  test("RFC 9989 tags np, psd, t", () => {
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
    // Builders emit RFC 9989 records: the removed tags cannot be written.
    expect(text).not.toMatch(/pct=|rf=|ri=/);
    expect("pct" in (specFromTags(parseDmarc("v=DMARC1; p=reject; pct=50").tags!) ?? {})).toBe(false);
  });
});

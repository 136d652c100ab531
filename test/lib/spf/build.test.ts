import { buildSpf, parseSpf, policyFromRecord } from "../../../lib/spf";
import { MailDnsError } from "../../../lib/errors";

describe("SPF builder", () => {
  test("renders in canonical order with -all by default", () => {
    expect(buildSpf({ ip4: ["192.0.2.0/24"], mx: [true], include: ["_spf.mailer.example"] })).toBe(
      "v=spf1 mx ip4:192.0.2.0/24 include:_spf.mailer.example -all",
    );
    expect(buildSpf({ redirect: "_spf.example.com" })).toBe("v=spf1 redirect=_spf.example.com");
    expect(buildSpf({ all: "~", a: ["mail.example.com"] })).toBe("v=spf1 a:mail.example.com ~all");
  });

  test("invalid parts throw MailDnsError with spf-syntax", () => {
    try {
      buildSpf({ ip4: ["192.0.2.300"] }, "spf");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(MailDnsError);
      expect((e as MailDnsError).ruleId).toBe("spf-syntax");
      expect((e as MailDnsError).value).toBe("ip4:192.0.2.300");
    }
  });

  test("build -> parse -> build is the identity", () => {
    const text = buildSpf({ a: [true, "relay.example.com"], ip6: ["2001:db8::/32"], include: ["x.example.net"], all: "~", exp: "why.%{d}" });
    const back = policyFromRecord(parseSpf(text).record!);
    expect(back && buildSpf(back)).toBe(text);
  });
});

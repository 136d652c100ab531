import { formatSpf, isSpfRecord, ownLookupTerms, parseSpf } from "../../../lib/spf";

describe("SPF syntax (RFC 7208 §4.5, §4.6, §5, §12)", () => {
  test("record selection: v=spf1 followed by a space or the end (§4.5)", () => {
    expect(isSpfRecord("v=spf1 -all")).toBe(true);
    expect(isSpfRecord("v=spf1")).toBe(true);
    expect(isSpfRecord("V=SPF1 -all")).toBe(true);
    expect(isSpfRecord("v=spf10")).toBe(false);
    expect(isSpfRecord("v=spf1mx")).toBe(false);
  });

  test("the §A.1 examples parse", () => {
    for (const r of [
      "v=spf1 +all",
      "v=spf1 a -all",
      "v=spf1 a:example.org -all",
      "v=spf1 mx -all",
      "v=spf1 mx:example.org -all",
      "v=spf1 mx mx:example.org -all",
      "v=spf1 mx/30 mx:example.org/30 -all",
      "v=spf1 ptr -all",
      "v=spf1 ip4:192.0.2.128/28 -all",
      "v=spf1 include:example.com include:example.net -all",
      "v=spf1 redirect=_spf.example.com",
      "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all", // §7.4
    ]) {
      expect(parseSpf(r).errors).toEqual([]);
    }
  });

  test("mechanism fields: qualifier, dual CIDR, networks", () => {
    const r = parseSpf("v=spf1 ~a:mail.example.com/24//64 ip6:2001:db8::/32 -all").record;
    expect(r?.terms[0]).toMatchObject({ name: "a", qualifier: "~", domainSpec: "mail.example.com", cidr4: 24, cidr6: 64 });
    expect(r?.terms[1]).toMatchObject({ name: "ip6", network: "2001:db8::", cidr6: 32 });
  });

  test("every error in a record is collected, not only the first (§4.6)", () => {
    const r = parseSpf("v=spf1 ip4:1.2.3 a:foo -alll redirect=");
    expect(r.record).toBeUndefined();
    expect(r.errors.map((e) => e.term)).toEqual(["ip4:1.2.3", "a:foo", "-alll", "redirect="]);
  });

  test("the ABNF's fine print", () => {
    const bad = [
      "v=spf1 ip4:1.2.3.4/032", // §5.6: no leading zeros
      "v=spf1 ip4:1.2.3.4//32", // dual CIDR only on a and mx
      "v=spf1 ip6:fe80::1%eth0", // no zone ids
      "v=spf1 a:%{x}.example.com", // not a macro letter (§7.2)
      "v=spf1 exists:%{r}.example.com", // r only in exp text (§7.2)
      "v=spf1 a:%{d0}.example.com", // digit transformer nonzero (§7.3)
      "v=spf1 exp=a.example.com exp=b.example.com", // §6
      "v=spf1 -all foo=%z", // unknown modifier needs a macro-string
      "v=spf1 a:museum", // domain-end needs "." toplabel (§7.1)
    ];
    for (const r of bad) expect(parseSpf(r).errors.length).toBeGreaterThan(0);
  });

  test("format is canonical and lossless", () => {
    const text = "v=spf1 +a mx/24 ~ip4:192.0.2.0/24 include:_spf.example.com -all exp=explain.%{d}";
    const r = parseSpf(text).record;
    expect(r && formatSpf(r)).toBe("v=spf1 +a mx/24 ~ip4:192.0.2.0/24 include:_spf.example.com -all exp=explain.%{d}");
  });

  test("own DNS-querying terms (§4.6.4): include, a, mx, ptr, exists, redirect", () => {
    const r = parseSpf("v=spf1 a mx ip4:192.0.2.1 include:x.example ptr exists:%{i}.e.example redirect=y.example").record;
    expect(r && ownLookupTerms(r).length).toBe(6);
  });
});

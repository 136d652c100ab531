import { GOOD, KEY_2048, KEY_512, ProviderKind, PROVIDERS, Rec, variant } from "./providers";

/** For every rule: a passing and a failing stack, and the resource types the rule covers. */
export interface RuleCase {
  pass: Rec[];
  fail: Rec[];
  providers?: ProviderKind[];
}

const includes = (n: number) => Array.from({ length: n }, (_, i) => `include:i${i}.example.com`).join(" ");
const includeTargets = (n: number): Rec[] => Array.from({ length: n }, (_, i) => ({ name: `i${i}.example.com`, type: "TXT", values: [`v=spf1 ip4:192.0.2.${i} -all`] }));
const long = `v=DKIM1; k=rsa; p=${KEY_2048}`;

export const CASES: Record<string, RuleCase> = {
  "name-syntax": { pass: GOOD, fail: variant([], [{ name: "mx_1.example.com", type: "A", values: ["192.0.2.11"] }]) },
  "txt-string-length": {
    pass: GOOD,
    fail: variant([{ name: "s1._domainkey.example.com", type: "TXT", values: [long], raw: long }]),
    providers: ["cloudflare", "cloudflare-record", "route53"],
  },
  "mx-target-not-cname": { pass: GOOD, fail: variant([{ name: "example.com", type: "MX", values: ["10 alias.example.com."] }], [{ name: "alias.example.com", type: "CNAME", values: ["mx.example.com."] }]) },
  "mx-target-has-address": { pass: GOOD, fail: variant([{ name: "example.com", type: "MX", values: ["10 nohost.example.com."] }]) },
  "mx-not-ip-literal": { pass: GOOD, fail: variant([{ name: "example.com", type: "MX", values: ["10 192.0.2.10."] }]) },
  "null-mx-alone": { pass: variant([{ name: "example.com", type: "MX", values: ["0 ."] }]), fail: variant([{ name: "example.com", type: "MX", values: ["0 .", "10 mx.example.com."] }]) },
  "spf-syntax": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 ip4:192.0.2.300 -all"] }]) },
  "spf-single-record": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 mx -all", "v=spf1 a -all"] }]) },
  "spf-lookup-limit": {
    pass: variant([{ name: "example.com", type: "TXT", values: [`v=spf1 ${includes(10)} -all`] }], includeTargets(10)),
    fail: variant([{ name: "example.com", type: "TXT", values: [`v=spf1 ${includes(11)} -all`] }], includeTargets(11)),
  },
  "spf-void-lookup-limit": {
    pass: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 a:gone1.example.com a:gone2.example.com -all"] }]),
    fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 a:gone1.example.com a:gone2.example.com a:gone3.example.com -all"] }]),
  },
  "spf-mx-ptr-name-limit": {
    pass: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 mx:many.example.com -all"] }], [{ name: "many.example.com", type: "MX", values: Array.from({ length: 10 }, (_, i) => `${i} mx.example.com.`) }]),
    fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 mx:many.example.com -all"] }], [{ name: "many.example.com", type: "MX", values: Array.from({ length: 11 }, (_, i) => `${i} mx${i}.example.com.`) }]),
  },
  "spf-no-plus-all": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 mx +all"] }]) },
  "spf-ptr-discouraged": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 ptr -all"] }]) },
  "spf-record-size": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: [`v=spf1 ${Array.from({ length: 40 }, (_, i) => `ip4:192.0.2.${i}`).join(" ")} -all`] }]) },
  "spf-missing-all": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 mx"] }]) },
  "spf-include-loop": {
    pass: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 include:_spf.example.com -all"] }], [{ name: "_spf.example.com", type: "TXT", values: ["v=spf1 mx -all"] }]),
    fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 include:_spf.example.com -all"] }], [{ name: "_spf.example.com", type: "TXT", values: ["v=spf1 include:example.com -all"] }]),
  },
  "spf-duplicate-include": {
    pass: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 include:_spf.example.com -all"] }], [{ name: "_spf.example.com", type: "TXT", values: ["v=spf1 mx -all"] }]),
    fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 include:_spf.example.com include:_spf.example.com -all"] }], [{ name: "_spf.example.com", type: "TXT", values: ["v=spf1 mx -all"] }]),
  },
  "spf-include-resolves": {
    pass: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 include:_spf.example.com -all"] }], [{ name: "_spf.example.com", type: "TXT", values: ["v=spf1 mx -all"] }]),
    fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1 include:_spf.example.com -all"] }], [{ name: "_spf.example.com", type: "TXT", values: ["hello"] }]),
  },
  "dkim-record-syntax": { pass: GOOD, fail: variant([{ name: "s1._domainkey.example.com", type: "TXT", values: [`k=rsa; v=DKIM1; p=${KEY_2048}`] }]) },
  "dkim-key-size": { pass: GOOD, fail: variant([{ name: "s1._domainkey.example.com", type: "TXT", values: [`v=DKIM1; k=rsa; p=${KEY_512}`] }]) },
  "dmarc-syntax": { pass: GOOD, fail: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=block"] }]) },
  "dmarc-near-miss": { pass: GOOD, fail: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["p=reject; v=DMARC1"] }]) },
  "spf-near-miss": { pass: GOOD, fail: variant([{ name: "example.com", type: "TXT", values: ["v=spf1mx -all"] }]) },
  "mx-hosts-distinct": { pass: GOOD, fail: variant([{ name: "example.com", type: "MX", values: ["10 mx.example.com.", "20 mx.example.com."] }]) },
  "dmarc-single-record": { pass: GOOD, fail: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=reject", "v=DMARC1; p=quarantine"] }]) },
  "dmarc-policy-none": { pass: GOOD, fail: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=none"] }]) },
  "dmarc-external-destination": {
    pass: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=reject; rua=mailto:reports@example.net"] }], [{ name: "example.com._report._dmarc.example.net", type: "TXT", values: ["v=DMARC1"] }]),
    fail: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=reject; rua=mailto:reports@example.net"] }], [{ name: "example.net", type: "TXT", values: ["v=spf1 -all"] }]),
  },
  "mail-host-not-proxied": {
    pass: variant([], [{ name: "www.example.com", type: "A", values: ["192.0.2.80"], proxied: true }]),
    fail: variant([{ name: "mx.example.com", type: "A", values: ["192.0.2.10"], proxied: true }]),
    providers: ["cloudflare", "cloudflare-record"],
  },
  "mail-host-public-address": { pass: GOOD, fail: variant([{ name: "mx.example.com", type: "A", values: ["10.0.0.5"] }]) },
  "ptr-forward-confirmed": { pass: GOOD, fail: variant([], [{ name: "11.2.0.192.in-addr.arpa", type: "PTR", values: ["mx.example.com."] }]) },
  "cname-coexistence": { pass: variant([], [{ name: "www.example.com", type: "CNAME", values: ["example.com."] }]), fail: variant([], [{ name: "www.example.com", type: "CNAME", values: ["example.com."] }, { name: "www.example.com", type: "TXT", values: ["x"] }]) },
  "duplicate-record": { pass: GOOD, fail: variant([{ name: "mx.example.com", type: "A", values: ["192.0.2.10", "192.0.2.10"] }]) },
  "mta-sts-record-syntax": {
    pass: variant([], [{ name: "_mta-sts.example.com", type: "TXT", values: ["v=STSv1; id=20261128T1200"] }]),
    fail: variant([], [{ name: "_mta-sts.example.com", type: "TXT", values: ["v=STSv1; id=2026-11-28"] }]),
  },
  "mta-sts-single-record": {
    pass: variant([], [{ name: "_mta-sts.example.com", type: "TXT", values: ["v=STSv1; id=1"] }]),
    fail: variant([], [{ name: "_mta-sts.example.com", type: "TXT", values: ["v=STSv1; id=1", "v=STSv1; id=2"] }]),
  },
  "tlsrpt-record-syntax": {
    pass: variant([], [{ name: "_smtp._tls.example.com", type: "TXT", values: ["v=TLSRPTv1; rua=mailto:tls@example.com"] }]),
    fail: variant([], [{ name: "_smtp._tls.example.com", type: "TXT", values: ["v=TLSRPTv1; rua=tls@example.com"] }]),
  },
  "bimi-record-syntax": {
    pass: variant([], [{ name: "default._bimi.example.com", type: "TXT", values: ["v=BIMI1; l=https://example.com/logo.svg"] }]),
    fail: variant([], [{ name: "default._bimi.example.com", type: "TXT", values: ["v=BIMI1; l=http://example.com/logo.svg"] }]),
  },
  "bimi-needs-enforcing-dmarc": {
    pass: variant([], [{ name: "default._bimi.example.com", type: "TXT", values: ["v=BIMI1; l=https://example.com/logo.svg"] }]),
    fail: variant([{ name: "_dmarc.example.com", type: "TXT", values: ["v=DMARC1; p=none"] }], [{ name: "default._bimi.example.com", type: "TXT", values: ["v=BIMI1; l=https://example.com/logo.svg"] }]),
  },
  "tlsrpt-single-record": {
    pass: variant([], [{ name: "_smtp._tls.example.com", type: "TXT", values: ["v=TLSRPTv1; rua=mailto:tls@example.com"] }]),
    fail: variant([], [{ name: "_smtp._tls.example.com", type: "TXT", values: ["v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"] }]),
  },
  "tlsa-record-syntax": {
    pass: variant([], [{ name: "_25._tcp.mx.example.com", type: "TLSA", values: [`3 1 1 ${"ab".repeat(32)}`, `2 1 1 ${"cd".repeat(32)}`] }]),
    fail: variant([], [{ name: "_25._tcp.mx.example.com", type: "TLSA", values: [`1 1 1 ${"ab".repeat(32)}`] }]),
  },
};

/** Rules that look at no stack resource (they compare live DNS with declared records). */
/**
 * Rules that judge what only live DNS shows (`maildns verify`): the whole
 * of a mail domain, reverse DNS, report destinations, blocklists, failures.
 */
export const NOT_FOR_STACKS = ["mta-sts-policy-syntax", "mta-sts-policy-covers-mx", "declared-records-live", "dmarc-policy-present", "dmarc-report-destination", "dns-answers", "domain-exists", "mail-host-not-blocklisted", "mx-present", "ptr-present", "spf-present", "tlsa-needs-dnssec", "tlsa-matches-certificate"];

export function providersOf(c: RuleCase): ProviderKind[] {
  return c.providers ?? PROVIDERS;
}

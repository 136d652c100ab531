import { Finding } from "../finding";
import { MailDnsError } from "../errors";
import { DomainView } from "../view";
import { Rule } from "./rule";
import cnameCoexistence from "./cname-coexistence";
import dkimKeySize from "./dkim-key-size";
import declaredRecordsLive from "./declared-records-live";
import dkimRecordSyntax from "./dkim-record-syntax";
import dmarcExternalDestination from "./dmarc-external-destination";
import dmarcPolicyNone from "./dmarc-policy-none";
import dmarcSingleRecord from "./dmarc-single-record";
import dmarcSyntax from "./dmarc-syntax";
import duplicateRecord from "./duplicate-record";
import mailHostNotProxied from "./mail-host-not-proxied";
import mailHostPublicAddress from "./mail-host-public-address";
import mxNotIpLiteral from "./mx-not-ip-literal";
import mxTargetHasAddress from "./mx-target-has-address";
import mxTargetNotCname from "./mx-target-not-cname";
import nameSyntax from "./name-syntax";
import nullMxAlone from "./null-mx-alone";
import ptrForwardConfirmed from "./ptr-forward-confirmed";
import spfDuplicateInclude from "./spf-duplicate-include";
import spfIncludeLoop from "./spf-include-loop";
import spfIncludeResolves from "./spf-include-resolves";
import spfLookupLimit from "./spf-lookup-limit";
import spfMissingAll from "./spf-missing-all";
import spfMxPtrNameLimit from "./spf-mx-ptr-name-limit";
import spfNoPlusAll from "./spf-no-plus-all";
import spfPtrDiscouraged from "./spf-ptr-discouraged";
import spfRecordSize from "./spf-record-size";
import spfSingleRecord from "./spf-single-record";
import spfSyntax from "./spf-syntax";
import spfVoidLookupLimit from "./spf-void-lookup-limit";
import txtStringLength from "./txt-string-length";
import dmarcNearMiss from "./dmarc-near-miss";
import dmarcPolicyPresent from "./dmarc-policy-present";
import dmarcReportDestination from "./dmarc-report-destination";
import dnsAnswers from "./dns-answers";
import domainExists from "./domain-exists";
import mailHostNotBlocklisted from "./mail-host-not-blocklisted";
import mxHostsDistinct from "./mx-hosts-distinct";
import mxPresent from "./mx-present";
import ptrPresent from "./ptr-present";
import spfNearMiss from "./spf-near-miss";
import spfPresent from "./spf-present";
import mtaStsPolicyCoversMx from "./mta-sts-policy-covers-mx";
import mtaStsPolicySyntax from "./mta-sts-policy-syntax";
import mtaStsRecordSyntax from "./mta-sts-record-syntax";
import mtaStsSingleRecord from "./mta-sts-single-record";
import tlsrptRecordSyntax from "./tlsrpt-record-syntax";
import tlsrptSingleRecord from "./tlsrpt-single-record";
import tlsaRecordSyntax from "./tlsa-record-syntax";
import tlsaNeedsDnssec from "./tlsa-needs-dnssec";
import tlsaMatchesCertificate from "./tlsa-matches-certificate";
import bimiRecordSyntax from "./bimi-record-syntax";
import bimiNeedsEnforcingDmarc from "./bimi-needs-enforcing-dmarc";

/** The catalogue: one entry per rule id (docs/rules/<id>.md). */
export const rules: readonly Rule<object>[] = [
  cnameCoexistence,
  dkimKeySize,
  declaredRecordsLive,
  dkimRecordSyntax,
  dmarcExternalDestination,
  dmarcPolicyNone,
  dmarcSingleRecord,
  dmarcSyntax,
  duplicateRecord,
  mailHostNotProxied,
  mailHostPublicAddress,
  mxNotIpLiteral,
  mxTargetHasAddress,
  mxTargetNotCname,
  nameSyntax,
  nullMxAlone,
  ptrForwardConfirmed,
  spfDuplicateInclude,
  spfIncludeLoop,
  spfIncludeResolves,
  spfLookupLimit,
  spfMissingAll,
  spfMxPtrNameLimit,
  spfNoPlusAll,
  spfPtrDiscouraged,
  spfRecordSize,
  spfSingleRecord,
  spfSyntax,
  spfVoidLookupLimit,
  txtStringLength,
  dmarcNearMiss,
  dmarcPolicyPresent,
  dmarcReportDestination,
  dnsAnswers,
  domainExists,
  mailHostNotBlocklisted,
  mxHostsDistinct,
  mxPresent,
  ptrPresent,
  spfNearMiss,
  spfPresent,
  mtaStsRecordSyntax,
  mtaStsSingleRecord,
  mtaStsPolicySyntax,
  mtaStsPolicyCoversMx,
  tlsrptRecordSyntax,
  tlsrptSingleRecord,
  tlsaRecordSyntax,
  tlsaNeedsDnssec,
  tlsaMatchesCertificate,
  bimiRecordSyntax,
  bimiNeedsEnforcingDmarc,
] as unknown as Rule<object>[];

export type RuleId = string;

export function getRule(id: string): Rule<object> | undefined {
  return rules.find((r) => r.id === id);
}

export interface RunOptions {
  /** Only these ids (default: all). */
  only?: readonly string[];
  /** Ids switched off. */
  disabled?: readonly string[];
  /** Per-rule thresholds, e.g. { "dkim-key-size": { minimumBits: 2048 } }. */
  options?: Record<string, Record<string, unknown>>;
}

/** Run the catalogue over a view; collects every finding, errors first. */
export function runRules(view: DomainView, opts: RunOptions = {}): Finding[] {
  // The field names the entry: rules.disabled[1], rules.options.<id>, as a MailDomain's `rules` argument spells it.
  const named: [string, string][] = [
    ...(opts.only ?? []).map((id, i): [string, string] => [`rules.only[${i}]`, id]),
    ...(opts.disabled ?? []).map((id, i): [string, string] => [`rules.disabled[${i}]`, id]),
    ...Object.keys(opts.options ?? {}).map((id): [string, string] => [`rules.options.${id}`, id]),
  ];
  for (const [field, id] of named) {
    if (!getRule(id)) {
      throw new MailDnsError("invalid-config", `unknown rule id; known ids are ${rules.map((r) => r.id).join(", ")}`, { field, value: id });
    }
  }
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (opts.only && !opts.only.includes(rule.id)) continue;
    if (opts.disabled?.includes(rule.id)) continue;
    const options = { ...(rule.defaults ?? {}), ...(opts.options?.[rule.id] ?? {}) };
    // Findings made by the parsers in lib/ carry no consequence: the rule's applies.
    findings.push(...rule.check(view, options).map((f) => (f.consequence ? f : { ...f, consequence: rule.consequence })));
  }
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}

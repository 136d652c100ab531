/**
 * The change rules: what a planned change does to mail, judged on the domain
 * view before and after it (and on the states the update passes through).
 * They share the rule catalogue's ids, doc pages and tests (docs/rules/<id>.md);
 * `maildns review` reports them beside the view rules' findings.
 */
export interface ChangeRule {
  id: string;
  /** error: the change breaks mail; warning: a reviewer must look; info: a safe step, said so. */
  severity: "error" | "warning" | "info";
  rfc: string;
  summary: string;
  /** What receiving servers do because of such a change. */
  consequence: string;
}

export const changeRules = [
  {
    id: "spf-sender-dropped",
    severity: "error",
    rfc: "RFC 7208 §2.6, §5",
    summary: "a sender that SPF authorised is no longer authorised",
    consequence: "mail from that sender gets SPF fail (or softfail with ~all): receivers that enforce SPF reject it with 550 5.7.23, and under DMARC it passes only with an aligned DKIM signature",
  },
  {
    id: "spf-record-removed",
    severity: "error",
    rfc: "RFC 7208 §4.5",
    summary: "the domain's SPF record is removed",
    consequence: "every sender gets SPF none: DMARC then rests on DKIM alone, and receivers that require SPF defer or reject the mail",
  },
  {
    id: "dkim-key-replaced",
    severity: "error",
    rfc: "RFC 6376 §3.6.1, §6.1.2",
    summary: "the key at a DKIM selector is replaced while mail may still be signed with the old one",
    consequence: "signatures made with the old key (by a signer not yet switched, or on mail in transit) fail DKIM; with DMARC p=reject and no aligned SPF pass, receivers reject with 550 5.7.1",
  },
  {
    id: "dkim-selector-removed",
    severity: "error",
    rfc: "RFC 6376 §6.1.2",
    summary: "a DKIM selector whose key was live is removed",
    consequence: "signatures with that selector find no key (DKIM permfail); with DMARC p=reject and no aligned SPF pass, receivers reject with 550 5.7.1",
  },
  {
    id: "dkim-key-revoked",
    severity: "warning",
    rfc: "RFC 6376 §3.6.1",
    summary: "a DKIM selector is revoked (empty p=)",
    consequence: "signatures with that selector fail DKIM (key revoked): safe only once no signer uses it and mail signed with it has been delivered",
  },
  {
    id: "dkim-rotation-step",
    severity: "info",
    rfc: "RFC 6376 §3.1, M3AAWG DKIM key rotation",
    summary: "a new DKIM selector is published beside the live one: the safe first step of a rotation",
    consequence: "nothing changes for mail until the signer uses the new selector; both verify meanwhile",
  },
  {
    id: "dmarc-weakened",
    severity: "warning",
    rfc: "RFC 9989, RFC 7489 §6.3",
    summary: "the DMARC policy becomes less strict (p, sp, np, adkim, aspf) or is removed",
    consequence: "mail that fails DMARC and was rejected or quarantined is now delivered: spoofed mail from the domain reaches inboxes",
  },
  {
    id: "dmarc-strengthened",
    severity: "warning",
    rfc: "RFC 9989, RFC 7489 §6.3",
    summary: "the DMARC policy becomes stricter",
    consequence: "mail that fails DMARC is now quarantined or rejected with 550 5.7.1: any legitimate sender not yet aligned loses its mail",
  },
  {
    id: "dmarc-reports-dropped",
    severity: "warning",
    rfc: "RFC 9990, RFC 7489 §7.1",
    summary: "a DMARC aggregate or failure report address is removed",
    consequence: "receivers stop sending reports there: the domain owner no longer sees who sends as the domain",
  },
  {
    id: "mx-changed",
    severity: "warning",
    rfc: "RFC 5321 §5.1",
    summary: "an MX host is removed or a new one added",
    consequence: "new mail goes to the hosts now listed; senders that cached the old MX set deliver to the removed host until the TTL expires, so it must keep accepting mail until then",
  },
  {
    id: "mx-removed",
    severity: "error",
    rfc: "RFC 5321 §5.1, RFC 7505",
    summary: "the domain is left without an MX",
    consequence: "senders fall back to the domain's own address (implicit MX) or bounce with 5.1.2; inbound mail stops",
  },
  {
    id: "mail-host-address-changed",
    severity: "warning",
    rfc: "RFC 8601 §3 (iprev), RFC 7372 §3.3",
    summary: "a mail host's address changes, or its PTR does",
    consequence: "a new address without a PTR naming the host fails iprev: receivers that require reverse DNS defer with 450 4.7.25 or reject with 550 5.7.25",
  },
  {
    id: "mass-delete",
    severity: "error",
    rfc: "maildns plan safety",
    summary: "a plan deletes more than the allowed share of a domain's mail records",
    consequence: "whatever those records carried stops at once: inbound mail (MX), authentication (SPF, DKIM, DMARC); `maildns review` exits 3 unless --allow-mass-delete",
  },
] as const satisfies readonly ChangeRule[];

export type ChangeRuleId = (typeof changeRules)[number]["id"];

export function getChangeRule(id: string): ChangeRule | undefined {
  return (changeRules as readonly ChangeRule[]).find((r) => r.id === id);
}

import { Finding } from "../finding";
import { parseDmarc } from "../dmarc";
import { defineRule, report, unverified } from "./rule";

/**
 * A DMARC policy applies to the mail domain, found as receivers find it:
 * its own _dmarc, else the organisational domain's (RFC 7489 §6.6.3), or
 * the first parent's on the RFC 9989 tree walk.
 */
export default defineRule({
  id: "dmarc-policy-present",
  severity: "error",
  rfc: "RFC 9989, RFC 7489 §6.6.3",
  summary: "a DMARC policy applies to the mail domain",
  consequence: "receivers apply no DMARC to the domain: spoofed mail is delivered, and mailbox providers with bulk-sender rules reject its mail with 550 5.7.26",
  check(view) {
    const out: Finding[] = [];
    for (const [d, disc] of Object.entries(view.facts.dmarcPolicy ?? {})) {
      // A domain that does not exist is reported by domain-exists.
      if (view.facts.questions?.[`${d} TXT`] === "nxdomain") continue;
      const subject = `_dmarc.${d} TXT`;
      const usable = (f?: { record: string }) => {
        const tags = f ? parseDmarc(f.record).tags : undefined;
        return tags !== undefined && (tags.p !== undefined || (tags.rua?.length ?? 0) > 0);
      };
      const old = usable(disc.rfc7489);
      const bis = usable(disc.rfc9989);
      if (old && bis) continue;
      if (!old && !bis) {
        if (disc.failed.length > 0) {
          out.push(unverified(this, subject, `could not verify the DMARC policy of ${d}: ${disc.failed.join("; ")}`));
          continue;
        }
        const found = disc.rfc7489 ?? disc.rfc9989;
        out.push(report(this, subject, found
          ? `the DMARC record that applies to ${d} (${found.name}) has no valid p= and no rua=, so receivers discard it`
          : `no DMARC policy applies to ${d}: neither _dmarc.${d} nor a parent domain publishes one`, {
          hint: `publish TXT "v=DMARC1; p=none; rua=mailto:..." at _dmarc.${d} to start, then move to quarantine or reject`,
        }));
        continue;
      }
      const which = old ? disc.rfc7489 : disc.rfc9989;
      out.push(report(this, subject, old
        ? `only RFC 7489 receivers find a policy for ${d} (${which?.name}, the organisational domain); RFC 9989 receivers walk the tree and find none`
        : `only RFC 9989 receivers find a policy for ${d} (${which?.name}, by the tree walk); RFC 7489 receivers look at ${d} and its organisational domain only and find none`, {
        severity: "warning",
        hint: `publish the policy at _dmarc.${d}`,
      }));
    }
    return out;
  },
});

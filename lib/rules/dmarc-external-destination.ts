import { Finding } from "../finding";
import { externalDestinations, isDmarcRecord, parseDmarc } from "../dmarc";
import { defineRule, report, unverified } from "./rule";
import { dmarcValues } from "./select";

/**
 * Reports sent to another organisation need its consent: a "v=DMARC1" TXT at
 * <domain>._report._dmarc.<destination>. Checked where the view holds the
 * destination's zone (or is live DNS); otherwise a warning says it could not be.
 */
export default defineRule({
  id: "dmarc-external-destination",
  severity: "error",
  rfc: "RFC 7489 §7.1",
  summary: "reports to another organisation need its authorisation record",
  consequence: "receivers do not send reports to an address that has not authorised them: the domain owner sees no aggregate or failure reports",
  check(view) {
    const out: Finding[] = [];
    for (const d of dmarcValues(view)) {
      const tags = parseDmarc(d.value).tags;
      if (!tags) continue;
      const domain = d.name.slice("_dmarc.".length);
      for (const ext of externalDestinations(domain, tags)) {
        const authorised = view.values(ext.authorizationName, "TXT").some(isDmarcRecord);
        if (authorised) continue;
        if (view.knows(ext.authorizationName)) {
          out.push(report(this, `${d.name} TXT`, `reports go to ${ext.uri.address}, but ${ext.authorizationName} has no "v=DMARC1" record, so receivers will not send them`, {
            hint: `publish TXT "v=DMARC1" at ${ext.authorizationName}`,
          }));
        } else {
          out.push(unverified(this, `${d.name} TXT`, `could not verify that ${ext.uri.domain} accepts reports for ${domain} (needs TXT "v=DMARC1" at ${ext.authorizationName})`));
        }
      }
    }
    return out;
  },
});

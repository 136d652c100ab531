import { isBimiRecord } from "../bimi";
import { dmarcName, parseDmarc } from "../dmarc";
import { defineRule, report } from "./rule";
import { txtValues } from "./select";

/**
 * BIMI is shown only for mail of a domain whose DMARC policy enforces:
 * p=quarantine or p=reject, and sp not none (RFC 9989 semantics: no pct).
 */
export default defineRule({
  id: "bimi-needs-enforcing-dmarc",
  severity: "error",
  rfc: "draft-brand-indicators-for-message-identification §4.3, RFC 9989",
  summary: "a BIMI record needs DMARC at p=quarantine or p=reject",
  consequence: "mailbox providers ignore the BIMI record: no logo is shown while DMARC does not enforce",
  check(view) {
    return txtValues(view)
      .filter((t) => t.name.includes("._bimi.") && isBimiRecord(t.value))
      .flatMap((t) => {
        const domain = t.name.slice(t.name.indexOf("._bimi.") + "._bimi.".length);
        if (!view.knows(dmarcName(domain), "TXT") && view.values(dmarcName(domain), "TXT").length === 0) return [];
        const tags = view.values(dmarcName(domain), "TXT").map((v) => parseDmarc(v).tags).find((x) => x !== undefined);
        const p = tags?.p ?? "none";
        const sp = tags?.sp;
        if ((p === "quarantine" || p === "reject") && sp !== "none") return [];
        return [report(this, `${t.name} TXT`, tags ? `DMARC of ${domain} is p=${p}${sp === "none" ? ", sp=none" : ""}: BIMI needs p=quarantine or p=reject (and sp not none)` : `${domain} publishes no DMARC policy: BIMI needs p=quarantine or p=reject`)];
      });
  },
});

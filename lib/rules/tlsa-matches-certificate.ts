import { Finding } from "../finding";
import { parseTlsa, tlsaMatches, tlsaName } from "../tlsa";
import { defineRule, report, unverified } from "./rule";
import { mxValues } from "./select";

/**
 * With the certificates the MX hosts present (`maildns verify --tlsa-cert`),
 * each MX host's TLSA records at `_25._tcp.<host>` match one of them.
 */
export default defineRule({
  id: "tlsa-matches-certificate",
  severity: "error",
  rfc: "RFC 7672 §3.1, RFC 6698 §2.1",
  summary: "a TLSA record of each MX host matches the certificate it presents",
  consequence: "senders that validate DANE find no TLSA record matching the server's certificate: they do not deliver to that MX host, and with every host failing the mail is deferred and then bounced",
  check(view) {
    const certs = view.facts.tlsaCertificates ?? [];
    if (certs.length === 0) return [];
    // The MX hosts of the mail domains (a live view also holds other domains' MX, e.g. report destinations').
    const domains = view.facts.mailDomains;
    const hosts = [...new Set(mxValues(view).filter((m) => m.mx && m.mx.exchange !== "" && (!domains || domains.includes(m.name))).map((m) => m.mx?.exchange ?? ""))];
    const out: Finding[] = [];
    for (const host of hosts) {
      const name = tlsaName(host);
      const values = view.values(name, "TLSA");
      if (values.length === 0) {
        if (view.live && !view.knows(name, "TLSA")) out.push(unverified(this, `${name} TLSA`, `could not read the TLSA records of MX host ${host}: ${view.facts.questions?.[`${name} TLSA`] ?? "not asked"}`));
        else if (view.knows(name, "TLSA")) out.push(report(this, `${name} TLSA`, `MX host ${host} publishes no TLSA record at ${name}, so none matches the ${certs.length} certificate(s) given`, { severity: "warning" }));
        continue;
      }
      const usable = values.map((v) => parseTlsa(v, name, { smtp: true }).tlsa).filter((t) => t !== undefined);
      if (!usable.some((t) => certs.some((pem) => tlsaMatches(t, pem)))) {
        out.push(report(this, `${name} TLSA`, `no TLSA record of MX host ${host} (${values.join(", ")}) matches the ${certs.length} certificate(s) given`));
      }
    }
    return out;
  },
});

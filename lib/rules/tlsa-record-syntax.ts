import { isSmtpTlsaName, parseTlsa } from "../tlsa";
import { defineRule } from "./rule";

/** TLSA values parse: four fields, usage 2 or 3 at `_25._tcp.`, selector 0/1, matching type 0/1/2, data of the digest's length. */
export default defineRule({
  id: "tlsa-record-syntax",
  severity: "error",
  rfc: "RFC 6698 §2.1, RFC 7672 §3.1.3",
  summary: "TLSA records parse, and those of an MX host use DANE-TA (2) or DANE-EE (3)",
  consequence: "senders that validate DANE find no usable TLSA record for the MX host: if all its records are unusable they deliver without authenticating it, and a malformed record may be refused by the DNS provider",
  check(view) {
    return view.records
      .filter((r) => r.type === "TLSA")
      .flatMap((r) => r.values.flatMap((v) => parseTlsa(v, `${r.name} TLSA`, { smtp: isSmtpTlsaName(r.name) }).findings.map((f) => ({ ...f, consequence: this.consequence }))));
  },
});

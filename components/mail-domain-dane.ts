import { MailDnsError } from "../lib/errors";
import type { RecordType } from "../lib/records";
import { DANE_SMTP_RFC, tlsaFromPem, tlsaName } from "../lib/tlsa";
import type { ZoneHandle } from "../zones/zone";
import type { MailHostArgs, TtlKind } from "./mail-domain-args";

type Add = (z: ZoneHandle, name: string, type: RecordType, kind: TtlKind, values: string[]) => void;

const RFC = `${DANE_SMTP_RFC}, RFC 6698 §2.1`;

const fail = (domain: string, field: string, value: unknown, reason: string, ruleId = "tlsa-record-syntax"): never => {
  throw new MailDnsError("invalid-config", reason, { domain, field, value, rfc: RFC, ruleId });
};

/** The first characters of a PEM text, for error messages (never the whole certificate). */
const head = (v: unknown) => (typeof v === "string" ? `${v.trim().slice(0, 40)}${v.trim().length > 40 ? "…" : ""}` : v);

/**
 * DANE for SMTP (RFC 7672): the `_25._tcp.<host>` TLSA records of one mail
 * host, one value per certificate or public key given (several: a rollover,
 * old and new side by side). Each is `3 1 1` (DANE-EE, the server's key) or
 * `2 1 1` (DANE-TA, the issuing CA's key): the SHA-256 of the
 * SubjectPublicKeyInfo, which survives a renewal that keeps the key.
 */
export function planDane(tlsa: MailHostArgs["tlsa"], field: string, host: string, domain: string, zone: ZoneHandle, add: Add): void {
  if (tlsa === undefined) return;
  const at = `${field}.tlsa`;
  if (typeof tlsa !== "object" || tlsa === null || Array.isArray(tlsa)) fail(domain, at, tlsa, "tlsa is an object: { certificates?, publicKeys?, usage? }");
  if (zone.capabilities.tlsa !== "yes") throw new MailDnsError("capability", `${zone.provider} cannot publish TLSA records`, { domain, field: at, value: zone.zone, rfc: RFC });
  const usage = tlsa.usage ?? "dane-ee";
  if (usage !== "dane-ee" && usage !== "dane-ta") fail(domain, `${at}.usage`, usage, "usage is dane-ee (the server's own key) or dane-ta (the issuing CA's key); PKIX usages are not for SMTP");
  const values: string[] = [];
  for (const key of ["certificates", "publicKeys"] as const) {
    const list = tlsa[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(domain, `${at}.${key}`, list, `${key} is a list of PEM strings`);
    list.forEach((pem: unknown, j) => {
      const f = `${at}.${key}[${j}]`;
      const want = key === "certificates" ? "CERTIFICATE" : "PUBLIC KEY";
      if (typeof pem !== "string" || !new RegExp(`-----BEGIN (X509 |TRUSTED |RSA )?${want}-----`).test(pem)) {
        fail(domain, f, head(pem), `not a PEM ${key === "certificates" ? "certificate (-----BEGIN CERTIFICATE-----)" : "public key (-----BEGIN PUBLIC KEY-----)"}`);
      }
      let value = "";
      try {
        value = tlsaFromPem(pem as string, usage);
      } catch (e) {
        fail(domain, f, head(pem), `cannot compute the TLSA association data: ${(e as Error).message}`);
      }
      if (values.includes(value)) fail(domain, f, head(pem), `the same key is listed twice (${value.slice(0, 16)}…)`, "duplicate-record");
      values.push(value);
    });
  }
  if (values.length === 0) fail(domain, at, tlsa, "give the server's certificates or publicKeys (PEM): a TLSA record set needs at least one");
  add(zone, tlsaName(host), "TLSA", "mx", values);
}

import forge from "node-forge";
import type { Finding } from "./finding";
import { canonicalName } from "./names";

/**
 * DANE TLSA records (RFC 6698) as SMTP uses them (RFC 7672): the
 * presentation form "usage selector matching-type hex", parsed and
 * formatted, and the certificate association data computed from a PEM
 * certificate or public key with node-forge. maildns writes only what RFC
 * 7672 §3.1 recommends for SMTP: DANE-EE (3) or DANE-TA (2), the
 * SubjectPublicKeyInfo (selector 1), SHA-256 (matching type 1).
 */
export const TLSA_RFC = "RFC 6698 §2.1";
export const DANE_SMTP_RFC = "RFC 7672 §3.1.3";

export interface Tlsa {
  /** 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE. */
  usage: number;
  /** 0 the full certificate, 1 the SubjectPublicKeyInfo. */
  selector: number;
  /** 0 exact, 1 SHA-256, 2 SHA-512. */
  matchingType: number;
  /** Certificate association data, lowercase hex. */
  data: string;
}

/** Octets of the association data for each matching type (0: any length). */
export const DIGEST_OCTETS: Record<number, number> = { 1: 32, 2: 64 };
export const USAGE_NAMES: Record<number, string> = { 0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE" };

/** The TLSA owner name of a service: `_25._tcp.<host>` for SMTP (RFC 7672 §2.2.3). */
export function tlsaName(host: string, port = 25): string {
  return `_${port}._tcp.${canonicalName(host)}`;
}

/** True for the owner name of SMTP's TLSA records (port 25), where only DANE-TA and DANE-EE apply. */
export function isSmtpTlsaName(name: string): boolean {
  return name.startsWith("_25._tcp.");
}

export function formatTlsa(t: Tlsa): string {
  return `${t.usage} ${t.selector} ${t.matchingType} ${t.data.toLowerCase()}`;
}

/**
 * Parse one value (whitespace inside the hex is allowed, RFC 6698 §2.2);
 * every problem is a finding of tlsa-record-syntax. `smtp`: the record is
 * at `_25._tcp.`, where usages 0 and 1 do not apply (RFC 7672 §3.1.3).
 */
export function parseTlsa(value: string, subject: string, opts: { smtp?: boolean } = {}): { tlsa?: Tlsa; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (message: string, rfc = TLSA_RFC) => findings.push({ ruleId: "tlsa-record-syntax", severity: "error", subject, message, rfc });
  const tokens = value.trim().split(/\s+/);
  if (tokens.length < 4) {
    bad(`"${value.slice(0, 80)}" is not "usage selector matching-type data": it has ${tokens.length === 1 && tokens[0] === "" ? 0 : tokens.length} field(s)`, "RFC 6698 §2.2");
    return { findings };
  }
  const [u, s, m] = tokens.slice(0, 3).map((t) => (/^[0-9]{1,3}$/.test(t) ? Number(t) : NaN)) as [number, number, number];
  const data = tokens.slice(3).join("").toLowerCase();
  if (!(u <= 255)) bad(`usage "${tokens[0]}" is not a number from 0 to 255`, "RFC 6698 §2.1.1");
  else if (u > 3) bad(`usage ${u} is not assigned (0-3)`, "RFC 6698 §2.1.1");
  else if (opts.smtp && u < 2) bad(`usage ${u} (${USAGE_NAMES[u]}) is not for SMTP: MX hosts publish 2 (DANE-TA) or 3 (DANE-EE)`, DANE_SMTP_RFC);
  if (!(s <= 255)) bad(`selector "${tokens[1]}" is not a number from 0 to 255`, "RFC 6698 §2.1.2");
  else if (s > 1) bad(`selector ${s} is not assigned: 0 (full certificate) or 1 (SubjectPublicKeyInfo)`, "RFC 6698 §2.1.2");
  if (!(m <= 255)) bad(`matching type "${tokens[2]}" is not a number from 0 to 255`, "RFC 6698 §2.1.3");
  else if (m > 2) bad(`matching type ${m} is not assigned: 0 (exact), 1 (SHA-256) or 2 (SHA-512)`, "RFC 6698 §2.1.3");
  if (!/^[0-9a-f]+$/.test(data) || data.length % 2 !== 0) {
    bad(`the association data "${data.slice(0, 40)}${data.length > 40 ? "…" : ""}" is not an even number of hex digits`, "RFC 6698 §2.2");
  } else if (DIGEST_OCTETS[m] !== undefined && data.length !== 2 * (DIGEST_OCTETS[m] as number)) {
    bad(`matching type ${m} (${m === 1 ? "SHA-256" : "SHA-512"}) needs ${DIGEST_OCTETS[m]} octets of data, not ${data.length / 2}`, "RFC 6698 §2.1.3");
  }
  if (findings.length) return { findings };
  return { tlsa: { usage: u, selector: s, matchingType: m, data }, findings };
}

export type DaneUsage = "dane-ee" | "dane-ta";

interface PemObject {
  type: string;
  /** DER, as a binary string (node-forge's form). */
  der: string;
}

/** The PEM blocks of a text (a certificate chain file holds several); throws on a text with none. */
export function pemBlocks(pem: string): PemObject[] {
  let msgs: { type: string; body: string }[];
  try {
    msgs = forge.pem.decode(pem);
  } catch (e) {
    throw new Error(`not PEM: ${(e as Error).message}`);
  }
  if (!msgs.length) throw new Error("no PEM block (-----BEGIN CERTIFICATE----- or -----BEGIN PUBLIC KEY-----)");
  return msgs.map((m) => ({ type: m.type, der: m.body }));
}

/** The DER SubjectPublicKeyInfo of a certificate or public key block (any key algorithm). */
function spkiDer(block: PemObject): string {
  const asn1 = forge.asn1;
  // Bit strings stay raw, so the SubjectPublicKeyInfo re-encodes octet for octet.
  const parse = (der: string) => asn1.fromDer(der, { strict: true, decodeBitStrings: false } as never);
  switch (block.type) {
    case "CERTIFICATE":
    case "X509 CERTIFICATE":
    case "TRUSTED CERTIFICATE": {
      const cert = parse(block.der);
      const tbs = (cert.value as forge.asn1.Asn1[])[0];
      const fields = tbs?.value;
      if (!Array.isArray(fields)) throw new Error("not an X.509 certificate");
      // [0] version is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
      const first = fields[0] as forge.asn1.Asn1 | undefined;
      const offset = first && first.tagClass === asn1.Class.CONTEXT_SPECIFIC && first.type === 0 ? 1 : 0;
      const spki = fields[offset + 5];
      if (!spki || spki.type !== asn1.Type.SEQUENCE) throw new Error("the certificate has no SubjectPublicKeyInfo");
      return asn1.toDer(spki).getBytes();
    }
    case "PUBLIC KEY":
      parse(block.der);
      return block.der;
    case "RSA PUBLIC KEY": {
      const key = forge.pki.publicKeyFromAsn1(parse(block.der));
      return asn1.toDer(forge.pki.publicKeyToAsn1(key)).getBytes();
    }
    default:
      throw new Error(`a ${block.type} block is neither a certificate nor a public key`);
  }
}

function isCertificate(block: PemObject): boolean {
  return /CERTIFICATE$/.test(block.type);
}

/**
 * The association data of one PEM block for a selector and matching type,
 * lowercase hex; undefined when it cannot be had (selector 0 of a bare key).
 */
export function associationData(block: PemObject, selector: number, matchingType: number): string | undefined {
  let bytes: string;
  if (selector === 0) {
    if (!isCertificate(block)) return undefined;
    forge.asn1.fromDer(block.der, { strict: true, decodeBitStrings: false } as never);
    bytes = block.der;
  } else {
    bytes = spkiDer(block);
  }
  if (matchingType === 0) return forge.util.bytesToHex(bytes);
  const md = matchingType === 1 ? forge.md.sha256.create() : matchingType === 2 ? forge.md.sha512.create() : undefined;
  return md?.update(bytes, "raw").digest().toHex();
}

/**
 * The TLSA value maildns publishes for a PEM certificate or public key:
 * `3 1 1 <sha256 of the SubjectPublicKeyInfo>` (DANE-EE, the server's own
 * key) or `2 1 1 …` (DANE-TA, the issuing CA's key). The first block of the
 * text is used (a chain file starts with the end-entity certificate).
 */
export function tlsaFromPem(pem: string, usage: DaneUsage = "dane-ee"): string {
  const block = pemBlocks(pem)[0] as PemObject;
  return formatTlsa({ usage: usage === "dane-ta" ? 2 : 3, selector: 1, matchingType: 1, data: associationData(block, 1, 1) as string });
}

/**
 * True when a TLSA record matches the certificates of a PEM text (RFC 6698
 * §2.1, RFC 7672 §3.1): DANE-EE (3) and PKIX-EE (1) the first certificate
 * (the server's), DANE-TA (2) and PKIX-TA (0) any certificate of the chain.
 */
export function tlsaMatches(t: Tlsa, pem: string): boolean {
  let blocks: PemObject[];
  try {
    blocks = pemBlocks(pem);
  } catch {
    return false;
  }
  const candidates = t.usage === 3 || t.usage === 1 ? blocks.slice(0, 1) : blocks;
  return candidates.some((b) => {
    try {
      return associationData(b, t.selector, t.matchingType) === t.data.toLowerCase();
    } catch {
      return false;
    }
  });
}

import forge from "node-forge";
import { MailDnsError } from "./errors";
import { Finding } from "./finding";
import { canonicalName, nameProblems } from "./names";

/**
 * DKIM key records (RFC 6376 §3.6.1, RFC 8301 §3.2, RFC 8463).
 * Case rules as RFC 6376 states them: tag names are case-sensitive (§3.2),
 * "DKIM1" is written %x44.4B.49.4D.31 and so is case-sensitive, while the
 * literal values of k, h, s and t are ABNF strings and case-insensitive
 * (RFC 5234 §2.3): `k=RSA` is `k=rsa`.
 * The tag-list grammar is hand-written (it is a few lines); the key itself is
 * read with node-forge (ASN.1 DER, SubjectPublicKeyInfo, RSAPublicKey).
 */
export type DkimKeyType = "rsa" | "ed25519";

export interface DkimRecord {
  version?: string;
  keyType: DkimKeyType | string;
  /** base64, whitespace removed; "" for a revoked key. */
  publicKey: string;
  hashAlgorithms?: string[];
  serviceTypes?: string[];
  flags?: string[];
  notes?: string;
  revoked: boolean;
  /** RSA modulus size in bits, when the key parses. */
  keyBits?: number;
}

export interface DkimParseResult {
  record?: DkimRecord;
  tags: [string, string][];
  findings: Finding[];
}

export const DKIM_RFC = "RFC 6376 §3.6.1";

/** Parse a key record; never throws. */
export function parseDkim(text: string, subject = "_domainkey"): DkimParseResult {
  const findings: Finding[] = [];
  const err = (message: string, rfc = DKIM_RFC) => findings.push({ ruleId: "dkim-record-syntax", severity: "error", subject, message, rfc });
  const tags: [string, string][] = [];
  for (const part of text.split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    if (eq < 0 || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      err(`"${part.trim()}" is not a tag=value pair (RFC 6376 §3.2)`, "RFC 6376 §3.2");
      continue;
    }
    tags.push([name, part.slice(eq + 1).trim()]);
  }
  const map = new Map<string, string>();
  for (const [n, v] of tags) {
    if (map.has(n)) err(`tag "${n}" appears more than once (RFC 6376 §3.2)`, "RFC 6376 §3.2");
    map.set(n, v);
  }
  const v = map.get("v");
  if (v !== undefined && (tags[0]?.[0] !== "v" || v !== "DKIM1")) err('"v" must be the first tag and exactly "DKIM1" (RFC 6376 §3.6.1)');
  const k = (map.get("k") ?? "rsa").toLowerCase();
  if (!["rsa", "ed25519"].includes(k)) err(`k=${k}: unknown key type; rsa (RFC 6376) and ed25519 (RFC 8463) are defined`);
  const p = map.get("p");
  if (p === undefined) {
    err('the "p" tag (public key) is required (RFC 6376 §3.6.1)');
    return { tags, findings };
  }
  const publicKey = p.replace(/\s+/g, "");
  const record: DkimRecord = { keyType: k, publicKey, revoked: publicKey === "" };
  if (v !== undefined) record.version = v;
  const h = map.get("h");
  if (h !== undefined) {
    record.hashAlgorithms = h.split(":").map((x) => x.trim().toLowerCase());
    if (record.hashAlgorithms.includes("sha1")) {
      findings.push({ ruleId: "dkim-record-syntax", severity: "warning", subject, rfc: "RFC 8301 §3.1", message: "h= lists sha1, which verifiers must not accept (RFC 8301 §3.1)" });
    }
    if (!record.hashAlgorithms.includes("sha256")) err(`h=${h}: sha256 must be allowed (RFC 8301 §3.1)`, "RFC 8301 §3.1");
  }
  const s = map.get("s");
  if (s !== undefined) {
    record.serviceTypes = s.split(":").map((x) => x.trim().toLowerCase());
    if (!record.serviceTypes.some((x) => x === "*" || x === "email")) err(`s=${s}: the key is not usable for email (RFC 6376 §3.6.1)`);
  }
  const t = map.get("t");
  if (t !== undefined) record.flags = t.split(":").map((x) => x.trim().toLowerCase());
  const n = map.get("n");
  if (n !== undefined) record.notes = n;
  if (!record.revoked) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(publicKey) || publicKey.length % 4 !== 0) {
      err("p= is not valid base64 (RFC 6376 §3.6.1)");
    } else if (k === "rsa") {
      const bits = rsaKeyBits(publicKey);
      if (bits === undefined) err("p= is not a DER RSA public key (SubjectPublicKeyInfo or RSAPublicKey)");
      else record.keyBits = bits;
    } else if (k === "ed25519") {
      const octets = Buffer.from(publicKey, "base64").length;
      if (octets !== 32) {
        const spki = octets === 44 ? " (44 octets is a SubjectPublicKeyInfo: publish only its last 32)" : "";
        err(`p= for ed25519 is ${octets} octets; it must be the raw 32-octet public key${spki} (RFC 8463 §4.2)`, "RFC 8463 §4.2");
      }
    }
  }
  return { record, tags, findings };
}

/** Modulus size of a base64 DER RSA public key (SPKI or PKCS#1), or undefined. */
export function rsaKeyBits(base64: string): number | undefined {
  try {
    const der = forge.util.decode64(base64);
    // node-forge 1.x takes an options object here (its typings still say boolean):
    // strict DER, and no trailing bytes after the structure.
    const fromDer = forge.asn1.fromDer as unknown as (d: string, o: object) => forge.asn1.Asn1;
    const asn1 = fromDer(der, { strict: true, parseAllBytes: true, decodeBitStrings: true });
    // publicKeyFromAsn1 reads SubjectPublicKeyInfo and, failing that, a bare RSAPublicKey.
    const key = forge.pki.publicKeyFromAsn1(asn1) as forge.pki.rsa.PublicKey;
    if (!key.n || typeof key.n.bitLength !== "function") return undefined;
    return key.n.bitLength();
  } catch {
    return undefined;
  }
}

export interface DkimSpec {
  keyType?: DkimKeyType;
  /** base64 public key; "" for a revoked selector. */
  publicKey: string;
  hashAlgorithms?: string[];
  flags?: string[];
  serviceTypes?: string[];
  notes?: string;
}

/** Render a key record: v=DKIM1 first, then h, k, n, p, s, t. Validates by parsing. */
export function buildDkim(spec: DkimSpec, field = "dkim"): string {
  const parts = ["v=DKIM1"];
  if (spec.hashAlgorithms?.length) parts.push(`h=${spec.hashAlgorithms.join(":")}`);
  parts.push(`k=${spec.keyType ?? "rsa"}`);
  if (spec.notes !== undefined) parts.push(`n=${spec.notes.trim()}`);
  parts.push(`p=${spec.publicKey}`);
  if (spec.serviceTypes?.length) parts.push(`s=${spec.serviceTypes.join(":")}`);
  if (spec.flags?.length) parts.push(`t=${spec.flags.join(":")}`);
  const text = parts.join("; ");
  const bad = parseDkim(text).findings.find((f) => f.severity === "error");
  if (bad) throw new MailDnsError("invalid-dkim", bad.message, { field, value: spec.publicKey.slice(0, 40), ruleId: "dkim-record-syntax", rfc: bad.rfc });
  return text;
}

export function specFromRecord(r: DkimRecord): DkimSpec {
  const spec: DkimSpec = { keyType: r.keyType as DkimKeyType, publicKey: r.publicKey };
  if (r.hashAlgorithms) spec.hashAlgorithms = r.hashAlgorithms;
  if (r.flags) spec.flags = r.flags;
  if (r.serviceTypes) spec.serviceTypes = r.serviceTypes;
  if (r.notes !== undefined) spec.notes = r.notes;
  return spec;
}

/** `<selector>._domainkey.<domain>`; the selector is checked as a name (RFC 6376 §3.1). */
export function dkimName(selector: string, domain: string, field = "dkim.selector"): string {
  const sel = canonicalName(selector);
  const problems = nameProblems(sel, "host");
  if (problems.length > 0) {
    throw new MailDnsError("invalid-dkim", `not a valid selector: ${problems.join("; ")}`, {
      domain, field, value: selector, ruleId: "name-syntax", rfc: "RFC 6376 §3.1",
    });
  }
  return `${sel}._domainkey.${canonicalName(domain)}`;
}

/** The public half of a PEM private key as base64 SubjectPublicKeyInfo. */
export function publicKeyFromPrivatePem(pem: string): string {
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return forge.util.encode64(forge.asn1.toDer(forge.pki.publicKeyToAsn1(pub)).getBytes());
}

/**
 * A DKIM key that a zone resource generates itself (zone files): its record's
 * value stands in the resource's inputs as this marker, and the resource's
 * `publicKeys` output gives the key it made. Not valid record data in any
 * zone-file syntax (an unquoted parenthesis), so it is never mistaken for a
 * value a user wrote.
 */
export function generatedKeyMarker(selector: string): string {
  return `(generated DKIM key ${selector})`;
}

/** The selector of a generated-key marker, or undefined for any other value. */
export function generatedKeySelector(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^\(generated DKIM key ([^\s()]+)\)$/.exec(value)?.[1];
}

/**
 * A record value with a generated key's marker resolved: the key's DKIM
 * record (through `present`, e.g. zone-file presentation form) when
 * `publicKeys` holds the key, undefined when it does not (a key still to be
 * made); any other value as it is.
 */
export function resolveGeneratedKey(value: unknown, publicKeys: Record<string, unknown>, present: (record: string) => string = (r) => r): unknown {
  const selector = generatedKeySelector(value);
  if (selector === undefined) return value;
  const pk = publicKeys[selector];
  return typeof pk === "string" ? present(generatedKeyRecord(pk)) : undefined;
}

/** The DKIM record of a generated key: an Ed25519 p= is the raw 32-octet key (RFC 8463 §4.2), an RSA one a SubjectPublicKeyInfo. */
export function generatedKeyRecord(publicKey: string): string {
  return buildDkim({ publicKey, keyType: Buffer.from(publicKey, "base64").length === 32 ? "ed25519" : "rsa" });
}

import forge from "node-forge";

/**
 * The stored form of a DKIM private key, and the PEM rebuilt from it.
 *
 * The file backend rewrites the whole checkpoint after every step, so each
 * byte a key keeps in the state is paid once per resource step of the stack.
 * A PKCS#8 PEM of a 2048-bit RSA key is ~1.7 KB (~2.4 KB once encrypted), yet
 * with the public key (n, e), which the state holds anyway for the DNS record,
 * one prime determines the whole key: q = n / p, d = e⁻¹ mod lcm(p−1, q−1)
 * (FIPS 186-5 §A.1.1), and the CRT values from those. So a key made by this
 * version stores only p (128 octets for 2048 bits, a secret); an Ed25519 key
 * stores its 32-octet seed (RFC 8032 §3.2). Keys made before keep their PEM.
 */
export interface StoredDkimKey {
  algorithm?: "rsa" | "ed25519";
  /** The DKIM p= value: base64 SubjectPublicKeyInfo (RSA) or the raw 32-octet key (Ed25519). */
  publicKey: string;
  /** base64 of the RSA prime p (unsigned, big-endian), or of the Ed25519 seed. */
  privateKey?: string;
  /** The whole PKCS#8 PEM, as keys made before the compact form keep it. */
  privateKeyPem?: string;
}

/** id-Ed25519 (RFC 8410 §3). */
const ID_ED25519 = "1.3.101.112";

/** The stored form of an RSA private key: its prime p. */
export function rsaStoredPrivateKey(key: forge.pki.rsa.PrivateKey): string {
  return bigToBase64(key.p);
}

/** The PKCS#8 PEM of a stored key; throws if the stored parts do not make one key. */
export function dkimPrivateKeyPem(stored: StoredDkimKey): string {
  if (stored.privateKeyPem) return stored.privateKeyPem;
  if (!stored.privateKey) throw new Error("the DKIM key's state holds neither privateKey nor privateKeyPem");
  if (stored.algorithm === "ed25519") {
    return forge.pem.encode({ type: "PRIVATE KEY", body: ed25519Pkcs8Der(Buffer.from(stored.privateKey, "base64")) }).replace(/\r\n/g, "\n");
  }
  const pub = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(forge.util.decode64(stored.publicKey))) as forge.pki.rsa.PublicKey;
  const { BigInteger } = forge.jsbn;
  const p = new BigInteger(Buffer.from(stored.privateKey, "base64").toString("hex"), 16);
  const [q, rest] = pub.n.divideAndRemainder(p) as [forge.jsbn.BigInteger, forge.jsbn.BigInteger];
  if (rest.signum() !== 0 || p.compareTo(BigInteger.ONE) <= 0 || q.compareTo(BigInteger.ONE) <= 0) {
    throw new Error("the DKIM key's stored prime does not divide the modulus of its public key");
  }
  const p1 = p.subtract(BigInteger.ONE);
  const q1 = q.subtract(BigInteger.ONE);
  const lcm = p1.multiply(q1).divide(p1.gcd(q1));
  const d = pub.e.modInverse(lcm);
  const key = forge.pki.setRsaPrivateKey(pub.n, pub.e, d, p, q, d.mod(p1), d.mod(q1), q.modInverse(p));
  return forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).replace(/\r\n/g, "\n");
}

/** The DER PKCS#8 PrivateKeyInfo of an Ed25519 key (RFC 8410 §7): version 0, id-Ed25519, the 32-octet seed as a CurvePrivateKey. */
export function ed25519Pkcs8Der(seed: Uint8Array): string {
  if (seed.length !== 32) throw new Error(`an Ed25519 private key is a 32-octet seed, not ${seed.length} octets`);
  const { asn1 } = forge;
  const T = asn1.Type;
  const curvePrivateKey = asn1.create(asn1.Class.UNIVERSAL, T.OCTETSTRING, false, Buffer.from(seed).toString("binary"));
  return asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, T.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, T.INTEGER, false, "\x00"),
    asn1.create(asn1.Class.UNIVERSAL, T.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, T.OID, false, asn1.oidToDer(ID_ED25519).getBytes())]),
    asn1.create(asn1.Class.UNIVERSAL, T.OCTETSTRING, false, asn1.toDer(curvePrivateKey).getBytes()),
  ])).getBytes();
}

function bigToBase64(n: forge.jsbn.BigInteger): string {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex").toString("base64");
}

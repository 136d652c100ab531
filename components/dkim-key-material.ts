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
 * version stores only `rsa-p:<base64 of p>` (128 octets for 2048 bits); an
 * Ed25519 key `ed25519-seed:<base64 of its 32-octet seed>` (RFC 8032 §3.2).
 *
 * Both sit in the secret output `privateKeyPem`, where keys made before keep
 * their whole PEM: one output that every key has, so a preview knows it (the
 * Pulumi SDK makes an output that a resource's state lacks unknown during a
 * preview, which would show every stack output built on it as changing).
 */
export interface StoredDkimKey {
  algorithm?: "rsa" | "ed25519";
  /** The DKIM p= value: base64 SubjectPublicKeyInfo (RSA) or the raw 32-octet key (Ed25519). */
  publicKey: string;
  /** A PKCS#8 PEM (keys made before the compact form), `rsa-p:<base64>` or `ed25519-seed:<base64>`. */
  privateKeyPem: string;
}

const RSA_PRIME = "rsa-p:";
const ED25519_SEED = "ed25519-seed:";

/** id-Ed25519 (RFC 8410 §3). */
const ID_ED25519 = "1.3.101.112";

/** The stored form of an RSA private key: its prime p. */
export function rsaStoredPrivateKey(key: forge.pki.rsa.PrivateKey): string {
  return `${RSA_PRIME}${bigToBase64(key.p)}`;
}

/** The stored form of an Ed25519 private key: its 32-octet seed. */
export function ed25519StoredPrivateKey(seed: Uint8Array): string {
  return `${ED25519_SEED}${Buffer.from(seed).toString("base64")}`;
}

/** The PKCS#8 PEM of a stored key; throws if the stored parts do not make one key. */
export function dkimPrivateKeyPem(stored: StoredDkimKey): string {
  const text = stored.privateKeyPem ?? "";
  if (text.startsWith("-----BEGIN ")) return text;
  if (text.startsWith(ED25519_SEED)) {
    return forge.pem.encode({ type: "PRIVATE KEY", body: ed25519Pkcs8Der(Buffer.from(text.slice(ED25519_SEED.length), "base64")) }).replace(/\r\n/g, "\n");
  }
  if (!text.startsWith(RSA_PRIME)) throw new Error("the DKIM key's state holds no private key (neither a PEM nor rsa-p: / ed25519-seed:)");
  const pub = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(forge.util.decode64(stored.publicKey))) as forge.pki.rsa.PublicKey;
  // Native BigInt for the arithmetic (node-forge's jsbn takes ~4 ms a key, which every
  // preview of a stack pays for each key); node-forge for the encoding.
  const n = BigInt(`0x${pub.n.toString(16)}`);
  const e = BigInt(`0x${pub.e.toString(16)}`);
  const p = BigInt(`0x${Buffer.from(text.slice(RSA_PRIME.length), "base64").toString("hex") || "0"}`);
  if (p <= 1n || n % p !== 0n || n / p <= 1n) throw new Error("the DKIM key's stored prime does not divide the modulus of its public key");
  const q = n / p;
  const lcm = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(e, lcm);
  const big = (x: bigint) => new forge.jsbn.BigInteger(x.toString(16), 16);
  const key = forge.pki.setRsaPrivateKey(pub.n, pub.e, big(d), big(p), big(q), big(d % (p - 1n)), big(d % (q - 1n)), big(modInverse(q, p)));
  return forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).replace(/\r\n/g, "\n");
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** a⁻¹ mod m by the extended Euclidean algorithm (written here: BigInt has no modular inverse). */
function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const k = r0 / r1;
    [r0, r1] = [r1, r0 - k * r1];
    [s0, s1] = [s1, s0 - k * s1];
  }
  if (r0 !== 1n) throw new Error("the DKIM key's stored prime does not make a valid RSA key (e has no inverse)");
  return ((s0 % m) + m) % m;
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

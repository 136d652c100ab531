import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import forge from "node-forge";
import { dkimPrivateKeyPem, ed25519StoredPrivateKey, rsaStoredPrivateKey } from "../../components/dkim-key-material";

/** An RSA key as node:crypto makes it: the SPKI p= value, the PKCS#8 PEM, and the prime the state keeps. */
function rsaKey(bits: number) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    pem,
    stored: rsaStoredPrivateKey(forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey),
  };
}

describe("the compact stored form of a DKIM private key", () => {
  test.each([1024, 2048, 3072, 4096])("RSA %i: the prime alone rebuilds a key whose signatures verify with the published public key", (bits) => {
    const k = rsaKey(bits);
    expect(k.stored).toMatch(/^rsa-p:[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(k.stored.slice("rsa-p:".length), "base64").length).toBeLessThanOrEqual(bits / 16 + 1);
    const pem = dkimPrivateKeyPem({ publicKey: k.publicKey, privateKeyPem: k.stored });
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    const rebuilt = createPrivateKey(pem);
    // Same public half as the record, and OpenSSL's own consistency check of the private parts.
    expect(createPublicKey(rebuilt).export({ type: "spki", format: "der" }).toString("base64")).toBe(k.publicKey);
    const data = Buffer.from("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; …");
    const pub = createPublicKey({ key: Buffer.from(k.publicKey, "base64"), format: "der", type: "spki" });
    expect(verify("sha256", data, pub, sign("sha256", data, rebuilt))).toBe(true);
    // The original key and the rebuilt one sign alike (RSASSA-PKCS1-v1_5 is deterministic).
    expect(sign("sha256", data, rebuilt).equals(sign("sha256", data, createPrivateKey(k.pem)))).toBe(true);
    // The same PEM every time: the stack output does not change between runs.
    expect(dkimPrivateKeyPem({ publicKey: k.publicKey, privateKeyPem: k.stored })).toBe(pem);
  });

  test("a key stored as a whole PEM (made before the compact form) is returned as it is", () => {
    const k = rsaKey(2048);
    expect(dkimPrivateKeyPem({ publicKey: k.publicKey, privateKeyPem: k.pem })).toBe(k.pem);
  });

  test("Ed25519: the 32-octet seed rebuilds the PKCS#8 key of the published raw key", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const der = privateKey.export({ type: "pkcs8", format: "der" });
    const pem = dkimPrivateKeyPem({ algorithm: "ed25519", publicKey: "", privateKeyPem: ed25519StoredPrivateKey(der.subarray(16)) });
    expect(createPrivateKey(pem).export({ type: "pkcs8", format: "der" }).equals(der)).toBe(true);
    expect(createPublicKey(createPrivateKey(pem)).export({ format: "jwk" }).x).toBe(publicKey.export({ format: "jwk" }).x);
  });

  test("a prime that does not belong to the public key, or no private part at all, is an error, not a wrong key", () => {
    const a = rsaKey(2048);
    const b = rsaKey(2048);
    expect(() => dkimPrivateKeyPem({ publicKey: a.publicKey, privateKeyPem: b.stored })).toThrow(/does not divide the modulus/);
    expect(() => dkimPrivateKeyPem({ publicKey: a.publicKey, privateKeyPem: `rsa-p:${Buffer.from([1]).toString("base64")}` })).toThrow(/does not divide/);
    expect(() => dkimPrivateKeyPem({ publicKey: a.publicKey, privateKeyPem: "" })).toThrow(/no private key/);
  });
});

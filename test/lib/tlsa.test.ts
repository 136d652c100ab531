import { createHash, createPublicKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import * as forge from "node-forge";
import { formatTlsa, parseTlsa, tlsaFromPem, tlsaMatches, tlsaName } from "../../lib/tlsa";
import { selfSignedCert } from "../helpers/certs";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const spki = (pem: string) => createPublicKey(pem).export({ type: "spki", format: "der" });

describe("lib/tlsa (RFC 6698, RFC 7672)", () => {
  const { cert, publicKey } = selfSignedCert("mx.example.com", 1024);

  test("3 1 1 is the SHA-256 of the certificate's SubjectPublicKeyInfo, as node:crypto computes it", () => {
    expect(tlsaFromPem(cert)).toBe(`3 1 1 ${sha256(spki(cert))}`);
    expect(tlsaFromPem(cert, "dane-ta")).toBe(`2 1 1 ${sha256(spki(cert))}`);
  });

  test("a PEM public key (SPKI or PKCS#1) gives the same value as its certificate", () => {
    expect(tlsaFromPem(publicKey)).toBe(tlsaFromPem(cert));
    const pkcs1 = createPublicKey(publicKey).export({ type: "pkcs1", format: "pem" }) as string;
    expect(tlsaFromPem(pkcs1)).toBe(tlsaFromPem(cert));
  });

  test("keys of any algorithm (EC P-256, Ed25519) are hashed as they are", () => {
    for (const k of [generateKeyPairSync("ec", { namedCurve: "P-256" }), generateKeyPairSync("ed25519")]) {
      const pem = k.publicKey.export({ type: "spki", format: "pem" }) as string;
      expect(tlsaFromPem(pem)).toBe(`3 1 1 ${sha256(spki(pem))}`);
    }
  });

  test("a chain file: the first certificate is the server's", () => {
    const other = selfSignedCert("ca.example.com", 1024).cert;
    expect(tlsaFromPem(cert + other)).toBe(tlsaFromPem(cert));
  });

  test("not PEM, or a private key: an error", () => {
    expect(() => tlsaFromPem("hello")).toThrow(/PEM/);
    const priv = forge.pki.privateKeyToPem(forge.pki.rsa.generateKeyPair(512).privateKey);
    expect(() => tlsaFromPem(priv)).toThrow(/neither a certificate nor a public key/);
  });

  test("parse and format round-trip; hex is lowercased, whitespace inside it allowed", () => {
    const h = sha256(spki(cert));
    expect(parseTlsa(`3 1 1 ${h.toUpperCase()}`, "s").tlsa).toEqual({ usage: 3, selector: 1, matchingType: 1, data: h });
    expect(formatTlsa(parseTlsa(`3 1 1 ${h.slice(0, 10)} ${h.slice(10)}`, "s").tlsa as never)).toBe(`3 1 1 ${h}`);
    expect(tlsaName("MX.Example.com.")).toBe("_25._tcp.mx.example.com");
  });

  test.each([
    ["3 1 1", "RFC 6698 §2.2"],
    ["4 1 1 00", "RFC 6698 §2.1.1"],
    ["3 2 1 00", "RFC 6698 §2.1.2"],
    ["3 1 3 00", "RFC 6698 §2.1.3"],
    ["3 1 1 abcd", "RFC 6698 §2.1.3"],
    ["3 1 2 " + "ab".repeat(32), "RFC 6698 §2.1.3"],
    ["3 1 0 abc", "RFC 6698 §2.2"],
    ["3 1 0 xyz0", "RFC 6698 §2.2"],
  ])("%s is malformed (%s)", (v, rfc) => {
    const r = parseTlsa(v, "s");
    expect(r.tlsa).toBeUndefined();
    expect(r.findings.map((f) => f.rfc)).toContain(rfc);
  });

  test("usages 0 and 1 are not for SMTP", () => {
    const v = `1 1 1 ${"ab".repeat(32)}`;
    expect(parseTlsa(v, "s").findings).toEqual([]);
    expect(parseTlsa(v, "s", { smtp: true }).findings.map((f) => f.rfc)).toEqual(["RFC 7672 §3.1.3"]);
  });

  test("matching: every selector and matching type, DANE-EE against the first certificate only", () => {
    const der = new X509Certificate(cert).raw;
    const key = spki(cert);
    const t = (s: string) => parseTlsa(s, "s").tlsa as never;
    expect(tlsaMatches(t(`3 1 1 ${sha256(key)}`), cert)).toBe(true);
    expect(tlsaMatches(t(`3 0 1 ${sha256(der)}`), cert)).toBe(true);
    expect(tlsaMatches(t(`3 0 0 ${der.toString("hex")}`), cert)).toBe(true);
    expect(tlsaMatches(t(`3 1 2 ${createHash("sha512").update(key).digest("hex")}`), cert)).toBe(true);
    expect(tlsaMatches(t(`3 1 1 ${"00".repeat(32)}`), cert)).toBe(false);
    const ca = selfSignedCert("ca.example.com", 1024).cert;
    expect(tlsaMatches(t(`3 1 1 ${sha256(spki(ca))}`), cert + ca)).toBe(false);
    expect(tlsaMatches(t(`2 1 1 ${sha256(spki(ca))}`), cert + ca)).toBe(true);
  });
});

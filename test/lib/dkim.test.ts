import { generateKeyPairSync } from "node:crypto";
import { buildDkim, dkimName, parseDkim, publicKeyFromPrivatePem, rsaKeyBits } from "../../lib/dkim";
import { MailDnsError } from "../../lib/errors";

function rsa(bits: number, format: "spki" | "pkcs1" = "spki") {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return { p: publicKey.export({ type: format, format: "der" }).toString("base64"), pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString() };
}

const k1024 = rsa(1024);
const k2048 = rsa(2048);

describe("DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463)", () => {
  test("RSA modulus size from p= (SubjectPublicKeyInfo and bare RSAPublicKey)", () => {
    expect(rsaKeyBits(k2048.p)).toBe(2048);
    expect(rsaKeyBits(k1024.p)).toBe(1024);
    expect(rsaKeyBits(rsa(1024, "pkcs1").p)).toBe(1024);
    expect(rsaKeyBits("AAAA")).toBeUndefined();
  });

  test("a record parses, with whitespace in p= (FWS is allowed)", () => {
    const spaced = k2048.p.replace(/(.{64})/g, "$1 ");
    const r = parseDkim(`v=DKIM1; k=rsa; p=${spaced}`);
    expect(r.findings).toEqual([]);
    expect(r.record).toMatchObject({ keyType: "rsa", keyBits: 2048, revoked: false, publicKey: k2048.p });
  });

  test("the ed25519 example of RFC 8463 Appendix A.2", () => {
    const r = parseDkim("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    expect(r.findings).toEqual([]);
    expect(r.record?.keyType).toBe("ed25519");
    expect(parseDkim("v=DKIM1; k=ed25519; p=AAAA").findings.map((f) => f.ruleId)).toEqual(["dkim-record-syntax"]);
  });

  test("case rules of RFC 6376: k, h, s, t values are case-insensitive; tag names and DKIM1 are not", () => {
    const r = parseDkim(`v=DKIM1; k=RSA; h=SHA256; s=Email; t=Y:S; p=${k2048.p}`);
    expect(r.findings).toEqual([]);
    expect(r.record).toMatchObject({ keyType: "rsa", keyBits: 2048, hashAlgorithms: ["sha256"], serviceTypes: ["email"], flags: ["y", "s"] });
    expect(parseDkim(`v=dkim1; p=${k2048.p}`).findings.map((f) => f.severity)).toEqual(["error"]);
    // "P" is not "p" (§3.2: tags are case-sensitive): the key is missing.
    expect(parseDkim(`v=DKIM1; P=${k2048.p}`).findings.map((f) => f.message)).toEqual([expect.stringMatching(/"p" tag .* is required/)]);
  });

  test("an empty p= is a revoked key (RFC 6376 §3.6.1)", () => {
    const r = parseDkim("v=DKIM1; p=");
    expect(r.findings).toEqual([]);
    expect(r.record?.revoked).toBe(true);
  });

  test("syntax errors: v not first, unknown k, missing p, bad base64, sha1 only, wrong service", () => {
    const errs = (t: string) => parseDkim(t).findings.filter((f) => f.severity === "error").length;
    expect(errs(`k=rsa; v=DKIM1; p=${k2048.p}`)).toBe(1);
    expect(errs(`v=DKIM2; p=${k2048.p}`)).toBe(1);
    expect(errs(`v=DKIM1; k=dsa; p=${k2048.p}`)).toBe(1);
    expect(errs("v=DKIM1; k=rsa")).toBe(1);
    expect(errs("v=DKIM1; p=not*base64")).toBe(1);
    expect(errs(`v=DKIM1; h=sha1; p=${k2048.p}`)).toBe(1);
    expect(errs(`v=DKIM1; s=tlsrpt; p=${k2048.p}`)).toBe(1);
    expect(errs("v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A")).toBe(1);
  });

  test("builder: v=DKIM1 first, round trip, validation", () => {
    const text = buildDkim({ publicKey: k2048.p, flags: ["s"] });
    expect(text).toBe(`v=DKIM1; k=rsa; p=${k2048.p}; t=s`);
    expect(() => buildDkim({ publicKey: "%%%" })).toThrow(MailDnsError);
  });

  test("the public half of a PEM private key", () => {
    expect(publicKeyFromPrivatePem(k1024.pem)).toBe(k1024.p);
  });

  test("selector names (RFC 6376 §3.1)", () => {
    expect(dkimName("S2026", "Example.com")).toBe("s2026._domainkey.example.com");
    expect(() => dkimName("bad selector", "example.com")).toThrow(MailDnsError);
  });
});

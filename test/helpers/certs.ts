import * as forge from "node-forge";

/** A self-signed certificate for `cn` made with node-forge (RSA 2048 unless a smaller key is asked for), PEM. */
export function selfSignedCert(cn: string, bits = 2048): { cert: string; publicKey: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `0${Math.floor(Math.random() * 1e9).toString(16)}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: "commonName", value: cn }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), publicKey: forge.pki.publicKeyToPem(keys.publicKey) };
}

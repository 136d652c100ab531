import { createServer, Server } from "node:https";
import type { AddressInfo } from "node:net";
import * as forge from "node-forge";

/**
 * A local HTTPS server for MTA-STS policies (RFC 8461 §3.3): a test CA made
 * here, one certificate for every host name served, answers by Host header.
 */
export interface PolicyAnswer {
  status?: number;
  type?: string;
  body?: string;
  location?: string;
}

export interface PolicyServer {
  port: number;
  /** The test CA's certificate (PEM), for `maildns verify --ca-file`. */
  caPem: string;
  stop(): Promise<void>;
}

function certificate(subjectCn: string, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | undefined, key: forge.pki.rsa.KeyPair, altNames: string[], serial: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: "commonName", value: subjectCn }]);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: "commonName", value: subjectCn }]);
  cert.setExtensions(
    issuer
      ? [{ name: "basicConstraints", cA: false }, { name: "keyUsage", digitalSignature: true, keyEncipherment: true }, { name: "extKeyUsage", serverAuth: true }, { name: "subjectAltName", altNames: altNames.map((value) => ({ type: 2, value })) }]
      : [{ name: "basicConstraints", cA: true }, { name: "keyUsage", keyCertSign: true, cRLSign: true }],
  );
  cert.sign(issuer?.key ?? key.privateKey, forge.md.sha256.create());
  return cert;
}

export async function startPolicyServer(answers: Record<string, PolicyAnswer>): Promise<PolicyServer> {
  const caKey = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const ca = certificate("maildns test CA", undefined, caKey, [], "01");
  const leafKey = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const leaf = certificate("mta-sts test server", { cert: ca, key: caKey.privateKey }, leafKey, Object.keys(answers), "02");
  const server: Server = createServer({ key: forge.pki.privateKeyToPem(leafKey.privateKey), cert: forge.pki.certificateToPem(leaf) }, (req, res) => {
    const a = answers[(req.headers.host ?? "").replace(/:\d+$/, "")];
    if (!a || req.url !== "/.well-known/mta-sts.txt") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(a.status ?? 200, { "content-type": a.type ?? "text/plain; charset=utf-8", ...(a.location ? { location: a.location } : {}) }).end(a.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caPem: forge.pki.certificateToPem(ca),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

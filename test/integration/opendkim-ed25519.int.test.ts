import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dkimKeyProvider, DkimKeyOutputs } from "../../components/dkim-key-provider";
import { dkimPrivateKeyPem } from "../../components/dkim-key-material";
import { buildDkim } from "../../lib/dkim";

/**
 * The Ed25519 key DkimKey generates, used by OpenDKIM (2.11, RFC 8463): it
 * loads the PKCS#8 PEM and signs with SignatureAlgorithm ed25519-sha256, its
 * verifier accepts the signature against the record maildns publishes, and
 * under the default rsa-sha256 the same key signs nothing.
 */
const haveOpendkim = spawnSync("opendkim", ["-V"], { encoding: "utf8" }).stdout?.includes("ed25519-sha256") === true;
if (!haveOpendkim) console.warn("skipping the OpenDKIM Ed25519 test: no opendkim with ed25519-sha256 installed");
const run = haveOpendkim ? describe : describe.skip;

const MESSAGE = "From: alice@example.com\r\nTo: bob@example.org\r\nSubject: ed25519\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\nMessage-ID: <e1@example.com>\r\n\r\nhello\r\n";

run("OpenDKIM signs with a generated Ed25519 key", () => {
  const dir = mkdtempSync(join(tmpdir(), "maildns-opendkim-"));
  let outs: DkimKeyOutputs;
  /** `opendkim -t`: the milter in test mode on one message file, its trace on stderr. */
  const opendkim = (conf: string, file: string) => {
    writeFileSync(join(dir, "opendkim.conf"), conf);
    const r = spawnSync("opendkim", ["-x", join(dir, "opendkim.conf"), "-t", file, "-vvv"], { encoding: "utf8", timeout: 30000 });
    return `${r.stdout}${r.stderr}`;
  };
  const signer = (algorithm: string) =>
    `Mode s\nDomain example.com\nSelector e2026\nKeyFile ${join(dir, "e2026.pem")}\nSignatureAlgorithm ${algorithm}\nCanonicalization relaxed/relaxed\nSyslog no\nRequireSafeKeys no\n`;

  beforeAll(async () => {
    outs = ((await dkimKeyProvider.create({ selector: "e2026", algorithm: "ed25519" })) as { outs: DkimKeyOutputs }).outs;
    writeFileSync(join(dir, "e2026.pem"), dkimPrivateKeyPem(outs), { mode: 0o600 });
    writeFileSync(join(dir, "message"), MESSAGE);
    // TestPublicKeys: "<name> <record>" lines the verifier reads instead of DNS.
    writeFileSync(join(dir, "keys"), `e2026._domainkey.example.com ${buildDkim({ publicKey: outs.publicKey, keyType: "ed25519" })}\n`);
  });

  test("ed25519-sha256: a signature OpenDKIM's verifier accepts against the published record; a changed body fails", () => {
    const trace = opendkim(signer("ed25519-sha256"), join(dir, "message"));
    const header = trace.match(/### INSHEADER: idx=0 hname='DKIM-Signature' hvalue='([^']*)'/)?.[1];
    expect(header).toMatch(/a=ed25519-sha256; c=relaxed\/relaxed; d=example\.com;\s+s=e2026;/);
    const signed = `DKIM-Signature: ${header?.replace(/\n/g, "\r\n")}\r\n${MESSAGE}`;
    const verifier = `Mode v\nSyslog no\nTestPublicKeys ${join(dir, "keys")}\n`;
    writeFileSync(join(dir, "signed"), signed);
    expect(opendkim(verifier, join(dir, "signed"))).toMatch(/dkim=pass header\.d=example\.com header\.i=@example\.com header\.a=ed25519-sha256 header\.s=e2026/);
    writeFileSync(join(dir, "tampered"), signed.replace("hello", "hullo"));
    expect(opendkim(verifier, join(dir, "tampered"))).toMatch(/dkim=fail/);
  });

  test("under the default rsa-sha256 the Ed25519 key signs nothing (the message is deferred)", () => {
    const trace = opendkim(signer("rsa-sha256"), join(dir, "message"));
    expect(trace).not.toContain("hname='DKIM-Signature'");
    expect(trace).toMatch(/rcode='451'/);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
});

import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dkimKeys, keysFromOutputs } from "../../cli/dkim-keys";
import { buildDkim, publicKeyFromPrivatePem } from "../../lib/dkim";
import { MailDnsError } from "../../lib/errors";

/** Writing a stack's DKIM keys for the signer, from outputs shaped as maildns's stack program exports them. */
const pem = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const k2026 = pem();
const k2027 = pem();
const k2026net = pem();
const outputs = {
  domains: {
    "example.com": {
      dkim: [
        { selector: "s2026", name: "s2026._domainkey.example.com", value: buildDkim({ publicKey: "" }) },
        { selector: "s2027", name: "s2027._domainkey.example.com", value: buildDkim({ publicKey: publicKeyFromPrivatePem(k2027) }) },
      ],
      dkimKeys: { s2026: k2026, s2027: k2027 },
    },
    "example.net": { dkim: [{ selector: "s2026", name: "s2026._domainkey.example.net", value: buildDkim({ publicKey: publicKeyFromPrivatePem(k2026net) }) }], dkimKeys: { s2026: k2026net } },
  },
};
const mode = (p: string) => statSync(p).mode & 0o777;
const fresh = () => join(mkdtempSync(join(tmpdir(), "maildns-keys-")), "out");

describe("maildns dkim-keys", () => {
  test("keys from the outputs: a retired selector's key is kept, marked not live", () => {
    expect(keysFromOutputs(outputs).map((k) => `${k.domain} ${k.selector} ${k.live}`)).toEqual(["example.com s2026 false", "example.com s2027 true", "example.net s2026 true"]);
    expect(keysFromOutputs(outputs, ["EXAMPLE.NET"]).map((k) => k.domain)).toEqual(["example.net"]);
  });

  test("opendkim: keys 0600 in 0700 directories, a KeyTable of every key, a SigningTable of the live selector only", () => {
    const out = fresh();
    const r = dkimKeys({ format: "opendkim", out }, outputs);
    expect(r.stdout).toBe("");
    const key = join(out, "keys/example.com/s2027.private");
    expect(readFileSync(key, "utf8")).toBe(k2027);
    expect(mode(key)).toBe(0o600);
    for (const d of [out, join(out, "keys"), join(out, "keys/example.com")]) expect(mode(d)).toBe(0o700);
    expect(readFileSync(join(out, "KeyTable"), "utf8")).toBe(
      [
        `s2026._domainkey.example.com example.com:s2026:${join(out, "keys/example.com/s2026.private")}`,
        `s2027._domainkey.example.com example.com:s2027:${key}`,
        `s2026._domainkey.example.net example.net:s2026:${join(out, "keys/example.net/s2026.private")}`,
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(out, "SigningTable"), "utf8")).toBe("*@example.com s2027._domainkey.example.com\n*@example.net s2026._domainkey.example.net\n");
  });

  test("rspamd: a dkim_signing.conf naming each domain's live selector and its key", () => {
    const out = fresh();
    dkimKeys({ format: "rspamd", out }, outputs);
    const conf = readFileSync(join(out, "dkim_signing.conf"), "utf8");
    expect(conf).toContain(`example.com {\n    selectors [\n      { path = "${join(out, "keys/example.com/s2027.key")}"; selector = "s2027"; }`);
    // The retired s2026 of example.com is not signed with; example.net's live s2026 is.
    expect(conf.slice(conf.indexOf("example.com {"), conf.indexOf("example.net {"))).not.toContain("s2026");
    expect(conf.slice(conf.indexOf("example.net {"))).toContain('selector = "s2026"');
    expect(existsSync(join(out, "keys/example.com/s2026.key"))).toBe(true);
  });

  test("pem: one file per key; a second run with the same keys writes nothing", () => {
    const out = fresh();
    expect(dkimKeys({ format: "pem", out }, outputs).written).toHaveLength(3);
    expect(readFileSync(join(out, "example.net/s2026.pem"), "utf8")).toBe(k2026net);
    expect(dkimKeys({ format: "pem", out }, outputs).written).toEqual([]);
  });

  test("a different key already there is never replaced without --force, and nothing else is written", () => {
    const out = fresh();
    dkimKeys({ format: "pem", out, domain: ["example.com"] }, outputs);
    const other = pem();
    writeFileSync(join(out, "example.com/s2027.pem"), other);
    expect(() => dkimKeys({ format: "pem", out }, outputs)).toThrow(/s2027\.pem already exists with other content.*--force/);
    expect(readFileSync(join(out, "example.com/s2027.pem"), "utf8")).toBe(other);
    expect(existsSync(join(out, "example.net"))).toBe(false);
    dkimKeys({ format: "pem", out, force: true }, outputs);
    expect(readFileSync(join(out, "example.com/s2027.pem"), "utf8")).toBe(k2027);
  });

  test("keys reach stdout only with --stdout", () => {
    expect(dkimKeys({ stdout: true }, outputs).stdout).toContain(k2027);
    expect(() => dkimKeys({}, outputs)).toThrow(MailDnsError);
  });

  test("clear errors: no domains output, keys read without --show-secrets, an unknown domain, a bad format", () => {
    expect(() => dkimKeys({ out: fresh() }, {})).toThrow(/no "domains" output/);
    expect(() => dkimKeys({ out: fresh() }, { domains: { "example.com": { dkim: [], dkimKeys: "[secret]" } } })).toThrow(/without --show-secrets/);
    expect(() => dkimKeys({ out: fresh(), domain: ["example.org"] }, outputs)).toThrow(/--domain = "example.org".*no such mail domain/);
    expect(() => dkimKeys({ out: fresh(), format: "dkimpy" }, outputs)).toThrow(/--format = "dkimpy"/);
  });

  test("an Ed25519 selector (RFC 8463) is written and listed in the KeyTable, but the tables sign with the last live RSA selector", () => {
    const ed = generateKeyPairSync("ed25519");
    const edPem = ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const raw = Buffer.from(ed.publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("base64");
    const both = {
      domains: {
        "example.com": {
          dkim: [
            { selector: "s2027", name: "s2027._domainkey.example.com", value: buildDkim({ publicKey: publicKeyFromPrivatePem(k2027) }) },
            { selector: "e2027", name: "e2027._domainkey.example.com", value: buildDkim({ publicKey: raw, keyType: "ed25519" }) },
          ],
          dkimKeys: { s2027: k2027, e2027: edPem },
        },
      },
    };
    expect(keysFromOutputs(both).map((k) => `${k.selector} ${k.live} ${k.keyType}`)).toEqual(["e2027 true ed25519", "s2027 true rsa"]);
    const out = fresh();
    dkimKeys({ format: "opendkim", out }, both);
    expect(readFileSync(join(out, "keys/example.com/e2027.private"), "utf8")).toBe(edPem);
    expect(readFileSync(join(out, "KeyTable"), "utf8")).toContain(`e2027._domainkey.example.com example.com:e2027:${join(out, "keys/example.com/e2027.private")}\n`);
    expect(readFileSync(join(out, "SigningTable"), "utf8")).toBe("*@example.com s2027._domainkey.example.com\n");
    const rspamd = fresh();
    dkimKeys({ format: "rspamd", out: rspamd }, both);
    expect(existsSync(join(rspamd, "keys/example.com/e2027.key"))).toBe(true);
    expect(readFileSync(join(rspamd, "dkim_signing.conf"), "utf8")).not.toContain("e2027");
  });
});

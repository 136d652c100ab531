import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import forge from "node-forge";
import { checkDkimKeyArgs } from "../../components/dkim-key";
import { dkimKeyProvider, DkimKeyOutputs } from "../../components/dkim-key-provider";
import { dkimPrivateKeyPem, ed25519Pkcs8Der } from "../../components/dkim-key-material";
import { parseDkim, publicKeyFromPrivatePem } from "../../lib/dkim";
import { MailDnsError } from "../../lib/errors";

const p = dkimKeyProvider as Required<typeof dkimKeyProvider>;
const inputs = { selector: "s2026", keyBits: 2048, allowWeakKey: false };

describe("DkimKey dynamic provider", () => {
  let created: { id: string; outs: DkimKeyOutputs };
  beforeAll(async () => {
    created = (await p.create(inputs)) as { id: string; outs: DkimKeyOutputs };
  });

  test("check accepts good inputs and names bad fields with rule ids", async () => {
    expect((await p.check({}, inputs)).failures).toEqual([]);
    const bad = await p.check({}, { selector: "Bad Selector", keyBits: 1000, allowWeakKey: false });
    expect(bad.failures?.map((f) => f.property)).toEqual(["selector", "keyBits"]);
    expect(bad.failures?.[1]?.reason).toContain("dkim-key-size");
    const weak = await p.check({}, { ...inputs, keyBits: 1024 });
    expect(weak.failures?.map((f) => f.property)).toEqual(["keyBits"]);
    expect((await p.check({}, { ...inputs, keyBits: 1024, allowWeakKey: true })).failures).toEqual([]);
  });

  test("create: a 2048-bit key stored as its prime; the PEM rebuilt from it has exactly the published p= as its public half", () => {
    const { outs } = created;
    expect(outs.keyBits).toBe(2048);
    const record = parseDkim(`v=DKIM1; k=rsa; p=${outs.publicKey}`);
    expect(record.findings).toEqual([]);
    expect(record.record?.keyBits).toBe(2048);
    // One 1024-bit prime, not a whole PEM.
    expect(outs.privateKeyPem).toMatch(/^rsa-p:/);
    expect(Buffer.from(outs.privateKeyPem.slice("rsa-p:".length), "base64")).toHaveLength(128);
    const pem = dkimPrivateKeyPem(outs);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(() => forge.pki.privateKeyFromPem(pem)).not.toThrow();
    expect(publicKeyFromPrivatePem(pem)).toBe(outs.publicKey);
    expect(created.id).toMatch(/^s2026-[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(outs.createdAt))).toBe(false);
  });

  test("diff: same inputs, no change; selector or size, replace", async () => {
    expect(await p.diff(created.id, created.outs, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect((await p.diff(created.id, created.outs, { ...inputs, selector: "s2027" })).replaces).toEqual(["selector"]);
    expect((await p.diff(created.id, created.outs, { ...inputs, keyBits: 4096 })).replaces).toEqual(["keyBits"]);
    expect(await p.diff(created.id, created.outs, { ...inputs, allowWeakKey: true })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  test("update keeps the key; read returns state; delete succeeds", async () => {
    const u = await p.update(created.id, created.outs, { ...inputs, allowWeakKey: true });
    expect(u.outs).toMatchObject({ publicKey: created.outs.publicKey, privateKeyPem: created.outs.privateKeyPem, allowWeakKey: true });
    expect(await p.read(created.id, created.outs)).toEqual({ id: created.id, props: created.outs });
    await expect(p.delete(created.id, created.outs)).resolves.toBeUndefined();
  });

  test("each create makes a new key", async () => {
    const again = (await p.create(inputs)) as { outs: DkimKeyOutputs };
    expect(again.outs.publicKey).not.toBe(created.outs.publicKey);
  });

  test("3072 and 4096 bits", async () => {
    const k = (await p.create({ ...inputs, keyBits: 3072 })) as { outs: DkimKeyOutputs };
    expect(parseDkim(`v=DKIM1; p=${k.outs.publicKey}`).record?.keyBits).toBe(3072);
  });
});

describe("DkimKey dynamic provider: ed25519 (RFC 8463)", () => {
  const ed = { selector: "e2026", algorithm: "ed25519" as const };
  let created: { id: string; outs: DkimKeyOutputs };
  beforeAll(async () => {
    created = (await p.create(ed)) as { id: string; outs: DkimKeyOutputs };
  });

  test("check accepts an ed25519 key without keyBits and refuses keyBits with it (dkim-key-size, RFC 8463) or an unknown algorithm", async () => {
    expect((await p.check({}, ed)).failures).toEqual([]);
    const bad = await p.check({}, { ...ed, keyBits: 2048 });
    expect(bad.failures?.map((f) => f.property)).toEqual(["keyBits"]);
    expect(bad.failures?.[0]?.reason).toMatch(/dkim-key-size/);
    expect(bad.failures?.[0]?.reason).toMatch(/RFC 8463/);
    expect((await p.check({}, { selector: "e2026", algorithm: "dsa" } as never)).failures?.map((f) => f.property)).toEqual(["algorithm"]);
  });

  test("create: p= is the raw 32-octet key; the PKCS#8 PEM loads in node:crypto and its signatures verify with the key rebuilt from p=", () => {
    const { outs } = created;
    expect(outs).not.toHaveProperty("keyBits");
    expect(outs.algorithm).toBe("ed25519");
    const raw = Buffer.from(outs.publicKey, "base64");
    expect(raw).toHaveLength(32);
    expect(parseDkim(`v=DKIM1; k=ed25519; p=${outs.publicKey}`).findings).toEqual([]);
    expect(outs.privateKeyPem).toMatch(/^ed25519-seed:/);
    expect(Buffer.from(outs.privateKeyPem.slice("ed25519-seed:".length), "base64")).toHaveLength(32);
    const pem = dkimPrivateKeyPem(outs);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    const priv = createPrivateKey(pem);
    expect(priv.asymmetricKeyType).toBe("ed25519");
    // The private key's own public half is the published one.
    expect(createPublicKey(priv).export({ format: "jwk" }).x).toBe(raw.toString("base64url"));
    const pub = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
    const data = Buffer.from("DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=e2026; …");
    const signature = sign(null, data, priv);
    expect(verify(null, data, pub, signature)).toBe(true);
    expect(verify(null, Buffer.from("another message"), pub, signature)).toBe(false);
    expect(created.id).toMatch(/^e2026-[0-9a-f]{16}$/);
  });

  test("the PKCS#8 encoding is RFC 8410's: node:crypto exports the same DER for the same seed", () => {
    const der = createPrivateKey(dkimPrivateKeyPem(created.outs)).export({ type: "pkcs8", format: "der" });
    expect(der.toString("hex")).toMatch(/^302e020100300506032b657004220420[0-9a-f]{64}$/);
    expect(Buffer.from(ed25519Pkcs8Der(der.subarray(16)), "binary").equals(der)).toBe(true);
    expect(() => ed25519Pkcs8Der(new Uint8Array(64))).toThrow(/32-octet/);
  });

  test("diff: no change for the same inputs; rsa <-> ed25519 is a replacement", async () => {
    expect(await p.diff(created.id, created.outs, ed)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const rsaInputs = { ...inputs, selector: "e2026" };
    expect((await p.diff(created.id, created.outs, rsaInputs)).replaces).toEqual(["algorithm", "keyBits"]);
    const rsa = (await p.create(rsaInputs)) as { id: string; outs: DkimKeyOutputs };
    expect((await p.diff(rsa.id, rsa.outs, ed)).replaces).toEqual(["algorithm", "keyBits"]);
    // An RSA key's state has no algorithm: existing stacks see no diff.
    expect(rsa.outs).not.toHaveProperty("algorithm");
    expect(await p.diff(rsa.id, rsa.outs, rsaInputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test("each create makes a new key", async () => {
    const again = (await p.create(ed)) as { outs: DkimKeyOutputs };
    expect(again.outs.publicKey).not.toBe(created.outs.publicKey);
  });
});

describe("checkDkimKeyArgs", () => {
  test("ed25519: inputs are the selector and the algorithm only; rsa keeps its inputs without algorithm", () => {
    expect(checkDkimKeyArgs({ selector: "E1", algorithm: "ed25519" })).toEqual({ selector: "e1", algorithm: "ed25519" });
    expect(checkDkimKeyArgs({ selector: "s1", algorithm: "rsa" })).toEqual({ selector: "s1", keyBits: 2048, allowWeakKey: false });
    expect(checkDkimKeyArgs({ selector: "s1" })).toEqual({ selector: "s1", keyBits: 2048, allowWeakKey: false });
  });

  test("keyBits with ed25519 is refused, naming the field and RFC 8463", () => {
    let e: unknown;
    try {
      checkDkimKeyArgs({ selector: "e1", algorithm: "ed25519", keyBits: 2048 }, "dkim[1]", "example.com");
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(MailDnsError);
    expect(e).toMatchObject({ code: "invalid-dkim", field: "dkim[1].keyBits", ruleId: "dkim-key-size", rfc: "RFC 8463 §4.2" });
  });
});

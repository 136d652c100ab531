import forge from "node-forge";
import { dkimKeyProvider, DkimKeyOutputs } from "../../components/dkim-key-provider";
import { parseDkim, publicKeyFromPrivatePem } from "../../lib/dkim";

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

  test("create: a 2048-bit key; the PEM private key's public half is exactly the published p=", () => {
    const { outs } = created;
    expect(outs.keyBits).toBe(2048);
    const record = parseDkim(`v=DKIM1; k=rsa; p=${outs.publicKey}`);
    expect(record.findings).toEqual([]);
    expect(record.record?.keyBits).toBe(2048);
    expect(outs.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(() => forge.pki.privateKeyFromPem(outs.privateKeyPem)).not.toThrow();
    expect(publicKeyFromPrivatePem(outs.privateKeyPem)).toBe(outs.publicKey);
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

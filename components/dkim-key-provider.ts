import type { ProviderImplementation } from "../zones/dynamic";

import { createHash } from "node:crypto";
import forge from "node-forge";
import { rsaKeyBits } from "../lib/dkim";
import { ed25519StoredPrivateKey, rsaStoredPrivateKey } from "./dkim-key-material";

/**
 * The dynamic provider behind DkimKey, run by the engine through the
 * delegate of zones/dynamic.ts (only that delegate is serialised).
 */
export interface DkimKeyInputs {
  selector: string;
  /** Absent for RSA (the inputs RSA keys have always had); "ed25519" for an RFC 8463 key. */
  algorithm?: "rsa" | "ed25519";
  /** RSA only. */
  keyBits?: number;
  /** RSA only. */
  allowWeakKey?: boolean;
}

export interface DkimKeyOutputs extends DkimKeyInputs {
  /** The DKIM p= value: base64 DER SubjectPublicKeyInfo (RSA) or the base64 raw 32-octet key (ed25519, RFC 8463 §4.2). */
  publicKey: string;
  /** The private key, a secret output: `rsa-p:` or `ed25519-seed:` and base64 (dkim-key-material.ts), or a PKCS#8 PEM for keys made before. */
  privateKeyPem: string;
  createdAt: string;
}

export const dkimKeyProvider: ProviderImplementation = {
  async check(_olds: DkimKeyInputs, news: DkimKeyInputs) {
    const failures: { property: string; reason: string }[] = [];
    if (typeof news.selector !== "string" || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(news.selector)) {
      failures.push({ property: "selector", reason: `selector ${JSON.stringify(news.selector)} is not a lowercase DNS label sequence (RFC 6376 §3.1) [name-syntax]` });
    }
    const algorithm = news.algorithm ?? "rsa";
    if (algorithm === "ed25519") {
      if (news.keyBits !== undefined) {
        failures.push({ property: "keyBits", reason: "keyBits does not apply to an ed25519 key, which is always 32 octets (RFC 8463 §4.2) [dkim-key-size]" });
      }
    } else if (algorithm !== "rsa") {
      failures.push({ property: "algorithm", reason: `algorithm ${JSON.stringify(news.algorithm)} must be rsa or ed25519 (RFC 8463 §3) [dkim-record-syntax]` });
    } else if (![1024, 2048, 3072, 4096].includes(news.keyBits as number)) {
      failures.push({ property: "keyBits", reason: `keyBits ${JSON.stringify(news.keyBits)} must be 2048, 3072 or 4096 (1024 with allowWeakKey) [dkim-key-size, RFC 8301 §3.2]` });
    } else if ((news.keyBits as number) < 2048 && news.allowWeakKey !== true) {
      failures.push({ property: "keyBits", reason: "a 1024-bit key needs allowWeakKey: true (RFC 8301 §3.2 recommends 2048) [dkim-key-size]" });
    }
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: DkimKeyOutputs, news: DkimKeyInputs) {
    const replaces: string[] = [];
    if (olds.selector !== news.selector) replaces.push("selector");
    if ((olds.algorithm ?? "rsa") !== (news.algorithm ?? "rsa")) replaces.push("algorithm");
    if (olds.keyBits !== news.keyBits) replaces.push("keyBits");
    const changes = replaces.length > 0 || olds.allowWeakKey !== news.allowWeakKey;
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: DkimKeyInputs) {
    const key = await generateDkimKey(inputs);
    const outs: DkimKeyOutputs = {
      selector: inputs.selector,
      ...(inputs.algorithm === "ed25519" ? { algorithm: "ed25519" } : { keyBits: inputs.keyBits, allowWeakKey: inputs.allowWeakKey }),
      ...key,
      createdAt: new Date().toISOString(),
    };
    const id = `${inputs.selector}-${createHash("sha256").update(Buffer.from(key.publicKey, "base64")).digest("hex").slice(0, 16)}`;
    return { id, outs };
  },

  async read(id: string, props: DkimKeyOutputs) {
    return { id, props };
  },

  async update(_id: string, olds: DkimKeyOutputs, news: DkimKeyInputs) {
    // Only allowWeakKey can change without a replacement; the key stays.
    return { outs: { ...olds, allowWeakKey: news.allowWeakKey } };
  },

  async delete() {
    // The key lives only in Pulumi state; deleting the resource removes it.
  },
};

/**
 * node-forge with a callback takes Node's native asynchronous generator: the
 * prime search runs on libuv's thread pool, so the keys of many domains are
 * made in parallel and the provider keeps answering the engine meanwhile (the
 * synchronous form blocks its one thread for each key in turn).
 */
function generateRsa(bits: number): Promise<forge.pki.rsa.KeyPair> {
  return new Promise((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (err, pair) => (err ? reject(err) : resolve(pair)));
  });
}

/** A new key pair: the DKIM p= value and the stored private key (dkim-key-material.ts). */
export async function generateDkimKey(spec: Pick<DkimKeyInputs, "algorithm" | "keyBits">): Promise<{ publicKey: string; privateKeyPem: string }> {
  if (spec.algorithm === "ed25519") {
    const pair = forge.pki.ed25519.generateKeyPair();
    // node-forge's private key is seed || public key (64 octets); the state keeps the seed.
    const seed = Uint8Array.from(pair.privateKey).subarray(0, 32);
    // RFC 8463 §4.2: p= is the base64 raw 32-octet public key, not a SubjectPublicKeyInfo.
    return { publicKey: Buffer.from(pair.publicKey).toString("base64"), privateKeyPem: ed25519StoredPrivateKey(seed) };
  }
  const pair = await generateRsa(spec.keyBits ?? 2048);
  const spki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(pair.publicKey)).getBytes();
  return { publicKey: forge.util.encode64(spki), privateKeyPem: rsaStoredPrivateKey(pair.privateKey) };
}

/** Whether a key made before (its p= value) is what `spec` asks for: the same algorithm and, for RSA, the same modulus size. */
export function keyMatchesSpec(publicKey: string, spec: Pick<DkimKeyInputs, "algorithm" | "keyBits">): boolean {
  const ed25519 = Buffer.from(publicKey, "base64").length === 32;
  if (spec.algorithm === "ed25519") return ed25519;
  return !ed25519 && rsaKeyBits(publicKey) === (spec.keyBits ?? 2048);
}

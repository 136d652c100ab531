import type { ProviderImplementation } from "../zones/dynamic";

import { createHash } from "node:crypto";
import forge from "node-forge";

/**
 * The dynamic provider behind DkimKey, run by the engine through the
 * delegate of zones/dynamic.ts (only that delegate is serialised).
 */
export interface DkimKeyInputs {
  selector: string;
  keyBits: number;
  allowWeakKey: boolean;
}

export interface DkimKeyOutputs extends DkimKeyInputs {
  /** base64 DER SubjectPublicKeyInfo, the DKIM p= value. */
  publicKey: string;
  /** PKCS#8 PEM; a secret output. */
  privateKeyPem: string;
  createdAt: string;
}

export const dkimKeyProvider: ProviderImplementation = {
  async check(_olds: DkimKeyInputs, news: DkimKeyInputs) {
    const failures: { property: string; reason: string }[] = [];
    if (typeof news.selector !== "string" || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(news.selector)) {
      failures.push({ property: "selector", reason: `selector ${JSON.stringify(news.selector)} is not a lowercase DNS label sequence (RFC 6376 §3.1) [name-syntax]` });
    }
    if (![1024, 2048, 3072, 4096].includes(news.keyBits)) {
      failures.push({ property: "keyBits", reason: `keyBits ${JSON.stringify(news.keyBits)} must be 2048, 3072 or 4096 (1024 with allowWeakKey) [dkim-key-size, RFC 8301 §3.2]` });
    } else if (news.keyBits < 2048 && news.allowWeakKey !== true) {
      failures.push({ property: "keyBits", reason: "a 1024-bit key needs allowWeakKey: true (RFC 8301 §3.2 recommends 2048) [dkim-key-size]" });
    }
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: DkimKeyOutputs, news: DkimKeyInputs) {
    const replaces: string[] = [];
    if (olds.selector !== news.selector) replaces.push("selector");
    if (olds.keyBits !== news.keyBits) replaces.push("keyBits");
    const changes = replaces.length > 0 || olds.allowWeakKey !== news.allowWeakKey;
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: DkimKeyInputs) {
    const pair = forge.pki.rsa.generateKeyPair({ bits: inputs.keyBits, e: 0x10001 });
    const spki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(pair.publicKey)).getBytes();
    const outs: DkimKeyOutputs = {
      selector: inputs.selector,
      keyBits: inputs.keyBits,
      allowWeakKey: inputs.allowWeakKey,
      publicKey: forge.util.encode64(spki),
      privateKeyPem: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey))).replace(/\r\n/g, "\n"),
      createdAt: new Date().toISOString(),
    };
    const id = `${inputs.selector}-${createHash("sha256").update(spki, "binary").digest("hex").slice(0, 16)}`;
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

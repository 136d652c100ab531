import * as pulumi from "@pulumi/pulumi";
import { buildDkim, dkimName } from "../lib/dkim";
import { MailDnsError } from "../lib/errors";
import { MaildnsDynamicResource } from "../zones/dynamic";
import { childUrn } from "../zones/zone";
import { dkimPrivateKeyPem } from "./dkim-key-material";

export type DkimKeyAlgorithm = "rsa" | "ed25519";

export interface DkimKeyArgs {
  /** The DKIM selector (s= in signatures), e.g. "s2026". */
  selector: string;
  /** "rsa" (default) or "ed25519" (RFC 8463). Changing it makes a new key (a replacement). */
  algorithm?: DkimKeyAlgorithm;
  /** RSA modulus size: 2048 (default), 3072 or 4096; 1024 only with allowWeakKey. Not for ed25519. */
  keyBits?: 1024 | 2048 | 3072 | 4096;
  allowWeakKey?: boolean;
}

/**
 * Checked arguments, which are the key pair's inputs: an RSA key keeps the
 * inputs it has always had (no `algorithm`); an Ed25519 key has only its
 * selector and `algorithm: "ed25519"`.
 */
export type CheckedDkimKeyArgs =
  | { selector: string; keyBits: number; allowWeakKey: boolean; algorithm?: undefined }
  | { selector: string; algorithm: "ed25519"; keyBits?: undefined; allowWeakKey?: undefined };

export const DKIM_KEY_BITS = [1024, 2048, 3072, 4096] as const;

/** Validate DkimKey arguments; throws MailDnsError naming the field and rule. */
export function checkDkimKeyArgs(args: DkimKeyArgs, field = "dkim", domain?: string): CheckedDkimKeyArgs {
  dkimName(args.selector, domain ?? "example.invalid", `${field}.selector`);
  const selector = args.selector.toLowerCase();
  const algorithm = args.algorithm ?? "rsa";
  if (algorithm !== "rsa" && algorithm !== "ed25519") {
    throw new MailDnsError("invalid-dkim", "algorithm must be rsa or ed25519", {
      domain, field: `${field}.algorithm`, value: args.algorithm, ruleId: "dkim-record-syntax", rfc: "RFC 8463 §3",
    });
  }
  if (algorithm === "ed25519") {
    if (args.keyBits !== undefined) {
      throw new MailDnsError("invalid-dkim", "keyBits does not apply to an ed25519 key, which is always 32 octets (RFC 8463 §4.2); leave keyBits out", {
        domain, field: `${field}.keyBits`, value: args.keyBits, ruleId: "dkim-key-size", rfc: "RFC 8463 §4.2",
      });
    }
    return { selector, algorithm };
  }
  const keyBits = args.keyBits ?? 2048;
  if (!(DKIM_KEY_BITS as readonly number[]).includes(keyBits)) {
    throw new MailDnsError("invalid-dkim", "keyBits must be 2048, 3072 or 4096 (or 1024 with allowWeakKey)", {
      domain, field: `${field}.keyBits`, value: args.keyBits, ruleId: "dkim-key-size", rfc: "RFC 8301 §3.2",
    });
  }
  if (keyBits < 2048 && args.allowWeakKey !== true) {
    throw new MailDnsError("invalid-dkim", "a 1024-bit key needs allowWeakKey: true; use 2048 bits or more", {
      domain, field: `${field}.keyBits`, value: keyBits, ruleId: "dkim-key-size", rfc: "RFC 8301 §3.2",
    });
  }
  return { selector, keyBits, allowWeakKey: args.allowWeakKey ?? false };
}

/**
 * A DKIM key (RSA, or Ed25519 per RFC 8463) generated with node-forge when
 * created and kept stable in Pulumi state: it is made again only when the
 * selector, the algorithm or the key size changes (a replacement). The
 * private key is a secret output. One resource, nothing else: the key pair
 * itself (`pulumi-nodejs:dynamic/maildns:DkimKeyPair`).
 *
 * Up to 0.1 a DkimKey was a component holding a `<name>-pair` resource; the
 * alias below makes such a key this resource, so it is kept, not made again.
 */
export class DkimKey extends MaildnsDynamicResource {
  declare readonly selector: pulumi.Output<string>;
  /** The RSA modulus size; undefined for an ed25519 key. */
  declare readonly keyBits: pulumi.Output<number | undefined>;
  /** The p= value: base64 SubjectPublicKeyInfo for RSA, the base64 raw 32-octet key for ed25519 (RFC 8463 §4.2). */
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** PKCS#8 PEM, secret; rebuilt from the compact form the state keeps (dkim-key-material.ts). */
  declare readonly privateKeyPem: pulumi.Output<string>;
  /** The TXT value to publish at <selector>._domainkey.<domain>. */
  readonly txtValue: pulumi.Output<string>;

  constructor(name: string, args: DkimKeyArgs, opts: pulumi.CustomResourceOptions = {}) {
    const checked = checkDkimKeyArgs(args);
    const oldComponent = childUrn(name, "maildns:index:DkimKey", opts.parent);
    // keyBits: undefined keeps the output declared for an ed25519 key; undefined inputs are not sent.
    super("dkimKey", "DkimKeyPair", name, { ...checked, keyBits: checked.keyBits, publicKey: undefined, privateKeyPem: undefined, createdAt: undefined }, {
      ...opts,
      aliases: [...(opts.aliases ?? []), { name: `${name}-pair`, parent: oldComponent }],
      additionalSecretOutputs: ["privateKeyPem"],
    });
    const algorithm = checked.algorithm;
    // The state's compact form (or the PEM of a key made before it), as a PEM.
    this.privateKeyPem = pulumi.secret(
      pulumi.all([this.publicKey, this.privateKeyPem]).apply(([publicKey, privateKeyPem]) => dkimPrivateKeyPem({ algorithm, publicKey, privateKeyPem })),
    );
    if (checked.keyBits !== undefined && checked.keyBits < 2048) {
      pulumi.log.warn(`DKIM selector ${checked.selector}: a ${checked.keyBits}-bit key is allowed but weak; use 2048 bits or more [dkim-key-size, RFC 8301 §3.2]`, this);
    }
    const keyType = checked.algorithm ?? "rsa";
    this.txtValue = this.publicKey.apply((p) => buildDkim({ publicKey: p, keyType }));
  }
}

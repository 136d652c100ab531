import * as pulumi from "@pulumi/pulumi";
import { buildDkim, dkimName } from "../lib/dkim";
import { MailDnsError } from "../lib/errors";
import { MaildnsDynamicResource } from "../zones/dynamic";

export interface DkimKeyArgs {
  /** The DKIM selector (s= in signatures), e.g. "s2026". */
  selector: string;
  /** RSA modulus size: 2048 (default), 3072 or 4096; 1024 only with allowWeakKey. */
  keyBits?: 1024 | 2048 | 3072 | 4096;
  allowWeakKey?: boolean;
}

export const DKIM_KEY_BITS = [1024, 2048, 3072, 4096] as const;

/** Validate DkimKey arguments; throws MailDnsError naming the field and rule. */
export function checkDkimKeyArgs(args: DkimKeyArgs, field = "dkim", domain?: string): Required<DkimKeyArgs> {
  dkimName(args.selector, domain ?? "example.invalid", `${field}.selector`);
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
  return { selector: args.selector.toLowerCase(), keyBits, allowWeakKey: args.allowWeakKey ?? false };
}

/**
 * An RSA DKIM key generated with node-forge when created and kept stable in
 * Pulumi state: it is made again only when the selector or key size changes
 * (a replacement). The private key is a secret output. One resource, nothing
 * else: the key pair itself (`pulumi-nodejs:dynamic/maildns:DkimKeyPair`).
 *
 * Up to 0.1 a DkimKey was a component holding a `<name>-pair` resource; the
 * alias below makes such a key this resource, so it is kept, not made again.
 */
export class DkimKey extends MaildnsDynamicResource {
  declare readonly selector: pulumi.Output<string>;
  declare readonly keyBits: pulumi.Output<number>;
  /** base64 SubjectPublicKeyInfo (the p= value). */
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** PKCS#8 PEM, secret. */
  declare readonly privateKeyPem: pulumi.Output<string>;
  /** The TXT value to publish at <selector>._domainkey.<domain>. */
  readonly txtValue: pulumi.Output<string>;

  constructor(name: string, args: DkimKeyArgs, opts: pulumi.CustomResourceOptions = {}) {
    const checked = checkDkimKeyArgs(args);
    const oldComponent = pulumi.createUrn(name, "maildns:index:DkimKey", opts.parent);
    super("dkimKey", "DkimKeyPair", name, { ...checked, publicKey: undefined, privateKeyPem: undefined, createdAt: undefined }, {
      ...opts,
      aliases: [...(opts.aliases ?? []), { name: `${name}-pair`, parent: oldComponent }],
      additionalSecretOutputs: ["privateKeyPem"],
    });
    if (checked.keyBits < 2048) {
      pulumi.log.warn(`DKIM selector ${checked.selector}: a ${checked.keyBits}-bit key is allowed but weak; use 2048 bits or more [dkim-key-size, RFC 8301 §3.2]`, this);
    }
    this.txtValue = this.publicKey.apply((p) => buildDkim({ publicKey: p }));
  }
}

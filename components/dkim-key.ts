import * as pulumi from "@pulumi/pulumi";
import { buildDkim, dkimName } from "../lib/dkim";
import { MailDnsError } from "../lib/errors";
import { delegatingProvider } from "../zones/dynamic";

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

/** The key pair, made once by the dynamic provider and kept in state. */
class DkimKeyPair extends pulumi.dynamic.Resource {
  declare readonly publicKey: pulumi.Output<string>;
  declare readonly privateKeyPem: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly keyBits: pulumi.Output<number>;
  declare readonly selector: pulumi.Output<string>;

  constructor(name: string, args: Required<DkimKeyArgs>, opts?: pulumi.CustomResourceOptions) {
    super(delegatingProvider("dkimKey"), name, { ...args, publicKey: undefined, privateKeyPem: undefined, createdAt: undefined }, {
      ...opts,
      additionalSecretOutputs: ["privateKeyPem"],
    }, "maildns", "DkimKeyPair");
  }
}

/**
 * An RSA DKIM key generated with node-forge when created and kept stable in
 * Pulumi state: it is made again only when the selector or key size changes
 * (a replacement). The private key is a secret output.
 */
export class DkimKey extends pulumi.ComponentResource {
  readonly selector: pulumi.Output<string>;
  readonly keyBits: pulumi.Output<number>;
  /** base64 SubjectPublicKeyInfo (the p= value). */
  readonly publicKey: pulumi.Output<string>;
  /** The TXT value to publish at <selector>._domainkey.<domain>. */
  readonly txtValue: pulumi.Output<string>;
  readonly createdAt: pulumi.Output<string>;
  /** PKCS#8 PEM, secret. */
  readonly privateKeyPem: pulumi.Output<string>;

  constructor(name: string, args: DkimKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("maildns:index:DkimKey", name, {}, opts);
    const checked = checkDkimKeyArgs(args);
    if (checked.keyBits < 2048) {
      pulumi.log.warn(`DKIM selector ${checked.selector}: a ${checked.keyBits}-bit key is allowed but weak; use 2048 bits or more [dkim-key-size, RFC 8301 §3.2]`, this);
    }
    const pair = new DkimKeyPair(`${name}-pair`, checked, { parent: this });
    this.selector = pulumi.output(checked.selector);
    this.keyBits = pulumi.output(checked.keyBits);
    this.publicKey = pair.publicKey;
    this.txtValue = pair.publicKey.apply((p) => buildDkim({ publicKey: p }));
    this.createdAt = pair.createdAt;
    this.privateKeyPem = pulumi.secret(pair.privateKeyPem);
    this.registerOutputs({ selector: this.selector, keyBits: this.keyBits, publicKey: this.publicKey, txtValue: this.txtValue, createdAt: this.createdAt, privateKeyPem: this.privateKeyPem });
  }
}

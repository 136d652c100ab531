import type * as Aws from "@pulumi/aws";
import type * as Cloudflare from "@pulumi/cloudflare";

/**
 * The AWS and Cloudflare SDKs, loaded when a program first registers or looks
 * up something of theirs. Every maildns program imports both backends, yet
 * most use one or neither: a zone-file stack then skips loading them (about
 * 100 ms, on every preview and update).
 */
let aws: typeof Aws | undefined;
let cloudflare: typeof Cloudflare | undefined;

export const awsSdk = (): typeof Aws => (aws ??= require("@pulumi/aws") as typeof Aws);
export const cloudflareSdk = (): typeof Cloudflare => (cloudflare ??= require("@pulumi/cloudflare") as typeof Cloudflare);

import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

/**
 * The maildns policy pack: every rule of the catalogue over every DNS record
 * of a stack (Cloudflare, Route 53, zone files, RFC 2136, maildns components).
 * `pulumi preview --policy-pack policies` (see policies/README.md).
 */
new PolicyPack("maildns", {
  description: "Rejects invalid mail DNS: MX, SPF, DKIM, DMARC, PTR checked against their RFCs",
  policies,
});

/** maildns for Pulumi programs: components, zone adapters, and the rules library. */
export * from "../lib/index";
export { MailDomain, checkPlan, declareMailDomain, mailDomainOutputs, prepareMailDomain } from "./mail-domain";
export type { RecordOutput, MailDomainResources, MailDomainOptions, MailDomainOutputs } from "./mail-domain";
export { DkimKey } from "./dkim-key";
export type { DkimKeyArgs } from "./dkim-key";
export * from "./mail-domain-args";
export { planMailDomain } from "./mail-domain-plan";
export { cloudflareZone } from "../zones/cloudflare";
export type { CloudflareZoneArgs } from "../zones/cloudflare";
export { route53Zone } from "../zones/route53";
export type { Route53ZoneArgs } from "../zones/route53";
export { CAPABILITIES } from "../zones/capabilities";
export type { ZoneHandle, ZoneRecordSet, Capability, Capabilities, ProviderName } from "../zones/zone";
export { zoneFile } from "../zones/zonefile";
export type { ZoneFileArgs } from "../zones/zonefile";
export { rfc2136Zone } from "../zones/rfc2136";
export type { Rfc2136ZoneArgs } from "../zones/rfc2136";

import { Capabilities, ProviderName } from "./zone";

/**
 * What each provider can do, declared explicitly for every capability: a
 * capability missing here is a compile error, never a silent "cannot".
 * docs/providers.md is this table in prose; test/zones/capabilities.test.ts
 * keeps them equal.
 */
export const CAPABILITIES = {
  cloudflare: { nullMx: "yes", ptr: "yes", proxying: "yes", txtAutoSplit: "no", recordSetPerResource: "no", offline: "no", tlsa: "yes" },
  route53: { nullMx: "yes", ptr: "yes", proxying: "no", txtAutoSplit: "no", recordSetPerResource: "yes", offline: "no", tlsa: "yes" },
  zonefile: { nullMx: "yes", ptr: "yes", proxying: "no", txtAutoSplit: "no", recordSetPerResource: "yes", offline: "yes", tlsa: "yes" },
  rfc2136: { nullMx: "yes", ptr: "yes", proxying: "no", txtAutoSplit: "no", recordSetPerResource: "yes", offline: "yes", tlsa: "yes" },
} as const satisfies Record<ProviderName, Capabilities>;

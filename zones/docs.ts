import { CAPABILITIES } from "./capabilities";
import { Capability } from "./zone";

/** What each capability means, for the generated docs matrix. */
export const CAPABILITY_DOCS: Record<Capability, string> = {
  nullMx: "publishes the RFC 7505 null MX (`MX 0 .`)",
  ptr: "PTR records in reverse zones",
  proxying: "has an HTTP proxy flag (kept off for every mail record)",
  txtAutoSplit: "splits TXT values over 255 octets itself (when no, maildns writes the character-strings)",
  recordSetPerResource: "one resource holds all values of a name and type",
  offline: "works without a cloud account",
  tlsa: "DANE TLSA records for the mail hosts (RFC 6698, RFC 7672)",
};

/** The capability matrix of docs/providers.md, generated from CAPABILITIES. */
export function capabilityMatrix(): string {
  const providers = Object.keys(CAPABILITIES) as (keyof typeof CAPABILITIES)[];
  const caps = Object.keys(CAPABILITY_DOCS) as Capability[];
  const rows = caps.map((c) => `| \`${c}\` | ${CAPABILITY_DOCS[c]} | ${providers.map((p) => CAPABILITIES[p][c]).join(" | ")} |`);
  return [`| capability | meaning | ${providers.join(" | ")} |`, `|---|---|${providers.map(() => "---").join("|")}|`, ...rows].join("\n");
}

import { parse } from "tldts";
import { canonicalName } from "../lib/names";

/**
 * Which zone a provider record belongs to, and its full owner name, the way
 * each provider reads the `name` it is given. Sources of the zone, in order:
 * the Zone resource of the same stack its `zoneId` depends on
 * (propertyDependencies), the pack's `zones` setting (zone id → name, for ids
 * known at preview such as `cloudflare.getZone`), a Zone resource whose id
 * equals the record's `zoneId` (state after a deploy).
 */
export interface StackResourceLike {
  type: string;
  urn?: string;
  id?: string;
  props: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  /** Property → URNs of the resources it came from (or the resources themselves, as the policy SDK gives them). */
  propertyDependencies?: Record<string, readonly (string | { urn?: string })[]>;
}

export const ZONE_TYPES = ["cloudflare:index/zone:Zone", "aws:route53/zone:Zone"];

export interface ZoneIndex {
  byUrn: Map<string, string>;
  byId: Map<string, string>;
  /** From the pack's `zones` setting. */
  configured: Map<string, string>;
}

/** How `pulumi preview --json` writes a value not known yet. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** A value the policy SDK cannot give during preview. */
export const UNKNOWN = Symbol("unknown");

/** Read a property; unknown values (policy SDK proxies throw on access) come back as UNKNOWN. */
export function get(props: Record<string, unknown> | undefined, key: string): unknown {
  try {
    return props?.[key];
  } catch {
    return UNKNOWN;
  }
}

/**
 * A plain copy of a nested value, each part read through {@link get}: the
 * policy SDK throws when a value unknown during preview is touched at any
 * depth, and one unknown value must not hide the others.
 */
export function readPlain(v: unknown, depth = 0): unknown {
  if (v === UNKNOWN || v === UNKNOWN_SENTINEL) return UNKNOWN;
  if (v === null || typeof v !== "object" || depth > 8) return v;
  const read = (k: string | number) => readPlain(get(v as Record<string, unknown>, k as string), depth + 1);
  try {
    if (Array.isArray(v)) return Array.from({ length: v.length }, (_x, i) => read(i));
    return Object.fromEntries(Object.keys(v).map((k) => [k, read(k)]));
  } catch {
    return UNKNOWN;
  }
}

/** A known text value (not UNKNOWN, not the preview's unknown sentinel). */
export const isText = (v: unknown): v is string => typeof v === "string" && v !== UNKNOWN_SENTINEL;

export function indexZones(resources: readonly StackResourceLike[], configured: Record<string, string> = {}): ZoneIndex {
  const idx: ZoneIndex = { byUrn: new Map(), byId: new Map(), configured: new Map() };
  for (const [id, name] of Object.entries(configured)) if (isText(name)) idx.configured.set(id, canonicalName(name));
  for (const r of resources) {
    if (!ZONE_TYPES.includes(r.type)) continue;
    const name = get(r.props, "name") ?? get(r.props, "zone");
    if (!isText(name)) continue;
    if (r.urn) idx.byUrn.set(r.urn, canonicalName(name));
    for (const id of [r.id, get(r.props, "zoneId"), get(r.outputs, "zoneId"), get(r.outputs, "id")]) if (isText(id)) idx.byId.set(id, canonicalName(name));
  }
  return idx;
}

export type ZoneLookup = { zone: string; via: string } | { zone?: undefined; why: string };

/** The zone of a record from its `zoneId`. */
export function zoneOf(r: StackResourceLike, idx: ZoneIndex): ZoneLookup {
  for (const d of r.propertyDependencies?.zoneId ?? []) {
    const urn = typeof d === "string" ? d : d?.urn;
    const zone = urn ? idx.byUrn.get(urn) : undefined;
    if (zone) return { zone, via: "the Zone resource its zoneId comes from" };
  }
  const id = get(r.props, "zoneId") ?? get(r.outputs, "zoneId");
  if (isText(id)) {
    const zone = idx.configured.get(id) ?? idx.byId.get(id);
    if (zone) return { zone, via: idx.configured.has(id) ? "the zones setting" : "the Zone resource with that id" };
    return { why: `its zoneId "${id}" is not a Zone resource of this stack: set the pack's "zones" setting, e.g. { "maildns-settings": { "zones": { "${id}": "example.com" } } }` };
  }
  return { why: `its zoneId is not known here (computed during preview, not from a Zone resource of this stack): link it to a Zone resource, or set the pack's "zones" setting ({ "maildns-settings": { "zones": { "<zone id>": "example.com" } } })` };
}

/** True when `name` ends in a public suffix of the ICANN section of the Public Suffix List: it reads as a full name. */
export function looksQualified(name: string): boolean {
  const p = parse(name, { allowPrivateDomains: false });
  return name.includes(".") && p.isIcann === true && p.domain !== null;
}

/** Route 53 writes characters in names as octal escapes \NNN (\052 is "*"; its docs, "DNS domain name format"). */
export function unescapeOctets(name: string): string {
  return name.replace(/\\([0-7]{3})/g, (_, d: string) => String.fromCharCode(parseInt(d, 8))).replace(/\\(.)/g, "$1");
}

/**
 * The full owner name of a record written as `name` in `zone`:
 * Cloudflare: "@" is the apex; a name is relative unless it ends in the zone.
 * Route 53: "" is the apex; the provider appends the zone to a name that does
 * not end in it; trailing dots, case and \DDD escapes do not matter.
 */
export function ownerName(name: string, zone: string, provider: "cloudflare" | "route53"): string {
  let n = canonicalName(provider === "route53" ? unescapeOctets(name) : name);
  if ((provider === "cloudflare" && (n === "@" || n === "")) || (provider === "route53" && n === "")) return zone;
  if (n === zone || n.endsWith(`.${zone}`)) return n;
  if (n.endsWith(".")) n = n.slice(0, -1);
  return `${n}.${zone}`;
}

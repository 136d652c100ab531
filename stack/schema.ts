import { z } from "zod";
import { MailDnsError } from "../lib/errors";
import { canonicalName } from "../lib/names";

/**
 * The stack configuration: `maildns:defaults` (provider and shared settings)
 * and `maildns:domains` (one entry per mail domain). Validated with zod;
 * errors name the stack-file key path, e.g. `maildns:domains[1].mailHosts[0].ipv4[0]`.
 */
const provider = z.discriminatedUnion("provider", [
  z.object({ provider: z.literal("cloudflare"), zoneId: z.string().min(1).optional() }).strict(),
  z.object({ provider: z.literal("route53"), zoneId: z.string().min(1).optional(), privateZone: z.boolean().optional() }).strict(),
  z.object({
    provider: z.literal("zonefile"),
    directory: z.string().min(1).optional(),
    nameservers: z.array(z.object({ name: z.string().min(1), ipv4: z.array(z.string()).optional(), ipv6: z.array(z.string()).optional() }).strict()).optional(),
    hostmaster: z.string().optional(),
    /** Files of hand-written records, pulled in with $INCLUDE; maildns never writes them. */
    includes: z.array(z.string().min(1)).optional(),
    /** "zone" (default): each zone resource generates and keeps its domain's DKIM keys; "resources": a DkimKeyPair resource per key, the earlier layout. */
    dkimKeys: z.enum(["zone", "resources"]).optional(),
  }).strict(),
  z.object({
    provider: z.literal("rfc2136"),
    /** The primary server, "host:port". The TSIG secret is the secret config value maildns:tsigSecret. */
    server: z.string().min(1),
    keyName: z.string().min(1),
    timeoutMs: z.number().int().positive().optional(),
    /** As for zone files: "zone" (default) or "resources" (a DkimKeyPair per key). */
    dkimKeys: z.enum(["zone", "resources"]).optional(),
  }).strict(),
]);

const reverseZone = z.object({ name: z.string().min(1), zoneId: z.string().min(1).optional() }).strict();

const mailHost = z.object({
  name: z.string().min(1),
  ipv4: z.array(z.string()).optional(),
  ipv6: z.array(z.string()).optional(),
  preference: z.number().int().optional(),
  /** Publish PTRs in the configured reverse zones. */
  ptr: z.boolean().optional(),
  eipAllocationIds: z.array(z.string().min(1)).optional(),
  /** DANE (RFC 7672): TLSA records at _25._tcp.<host> from PEM certificates or public keys (PEM text in the YAML, e.g. a block scalar). */
  tlsa: z.object({
    certificates: z.array(z.string().min(1)).optional(),
    publicKeys: z.array(z.string().min(1)).optional(),
    usage: z.enum(["dane-ee", "dane-ta"]).optional(),
  }).strict().optional(),
}).strict();

const spf = z.object({
  ip4: z.array(z.string()).optional(),
  ip6: z.array(z.string()).optional(),
  include: z.array(z.string()).optional(),
  a: z.array(z.string()).optional(),
  mx: z.array(z.union([z.string(), z.literal(true)])).optional(),
  redirect: z.string().optional(),
  all: z.enum(["-", "~", "?"]).optional(),
  authorizeMailHosts: z.boolean().optional(),
}).strict();

const policy = z.enum(["none", "quarantine", "reject"]);
const dmarc = z.object({
  p: policy,
  sp: policy.optional(),
  np: policy.optional(),
  adkim: z.enum(["r", "s"]).optional(),
  aspf: z.enum(["r", "s"]).optional(),
  rua: z.array(z.string()).optional(),
  ruf: z.array(z.string()).optional(),
  fo: z.array(z.string()).optional(),
  t: z.enum(["y", "n"]).optional(),
  psd: z.enum(["y", "n", "u"]).optional(),
}).strict();

const dkim = z.object({
  selector: z.string().min(1),
  keyBits: z.custom<1024 | 2048 | 3072 | 4096>((v) => typeof v === "number" && [1024, 2048, 3072, 4096].includes(v), { message: "keyBits must be 2048, 3072 or 4096 (1024 with allowWeakKey)" }).optional(),
  allowWeakKey: z.boolean().optional(),
  publicKey: z.string().optional(),
  keyType: z.enum(["rsa", "ed25519"]).optional(),
  retired: z.boolean().optional(),
}).strict();

const ttl = z.object({
  address: z.number().int().optional(), mx: z.number().int().optional(), spf: z.number().int().optional(),
  dkim: z.number().int().optional(), dmarc: z.number().int().optional(), ptr: z.number().int().optional(),
}).strict();

const mtaSts = z.object({
  mode: z.enum(["enforce", "testing", "none"]),
  maxAge: z.number().int().optional(),
  extraMx: z.array(z.string()).optional(),
  host: z.object({ ipv4: z.array(z.string()).optional(), ipv6: z.array(z.string()).optional(), cname: z.string().optional() }).strict().optional(),
}).strict();

const tlsRpt = z.object({ rua: z.array(z.string()).min(1) }).strict();

const bimi = z.object({ selector: z.string().optional(), logo: z.string(), authority: z.string().optional() }).strict();

const rules = z.object({ disabled: z.array(z.string()).optional(), options: z.record(z.string(), z.record(z.string(), z.unknown())).optional() }).strict();

export const domainSchema = z.object({
  domain: z.string().min(1),
  /** The zone apex, when the domain is below it (default: the domain). */
  zone: z.string().min(1).optional(),
  /** Overrides the default provider for this domain. */
  dns: provider.optional(),
  mailHosts: z.array(mailHost).optional(),
  mx: z.array(z.object({ host: z.string().min(1), preference: z.number().int() }).strict()).optional(),
  nullMx: z.boolean().optional(),
  spf: z.union([spf, z.literal(false)]).optional(),
  dkim: z.array(dkim).optional(),
  dmarc: z.union([dmarc, z.literal(false)]).optional(),
  extraTxt: z.array(z.string()).optional(),
  mtaSts: mtaSts.optional(),
  tlsRpt: tlsRpt.optional(),
  bimi: bimi.optional(),
  ttl: ttl.optional(),
  rules: rules.optional(),
}).strict();

export const defaultsSchema = z.object({
  dns: provider,
  reverseZones: z.array(reverseZone).optional(),
  ttl: ttl.optional(),
  dmarc: dmarc.optional(),
  dkim: z.array(dkim).optional(),
  mtaSts: mtaSts.optional(),
  tlsRpt: tlsRpt.optional(),
  rules: rules.optional(),
}).strict();

export type DomainConfig = z.infer<typeof domainSchema>;
export type DefaultsConfig = z.infer<typeof defaultsSchema>;
export interface StackConfig {
  defaults: DefaultsConfig;
  domains: DomainConfig[];
  /** Where the domains come from, as errors name it: "maildns:domains" (the stack file) or "<file>: domains" (maildns:domainsFile). */
  domainsKey?: string;
  /** Each domain's position under `domainsKey` when it differs from its index (a fleet group picked from a file). */
  positions?: number[];
}

/** The key of domain `i` of a stack config as errors name it: `maildns:domains[i]`, or its position in the domains file. */
export function domainEntryKey(config: Pick<StackConfig, "domainsKey" | "positions">, i: number): string {
  return `${config.domainsKey ?? "maildns:domains"}[${config.positions?.[i] ?? i}]`;
}

/** Parse raw config values; throws MailDnsError("invalid-config") naming the key path. */
export function parseStackConfig(rawDefaults: unknown, rawDomains: unknown, domainsKey = "maildns:domains", positions?: number[]): StackConfig {
  const defaults = parseWith(defaultsSchema, rawDefaults, "maildns:defaults");
  const domains = parseWith(z.array(domainSchema).min(1, "list at least one domain"), rawDomains, domainsKey, positions);
  const at = (i: number) => domainEntryKey({ domainsKey, positions }, i);
  const seen = new Map<string, number>();
  domains.forEach((d, i) => {
    // U-labels and A-labels of one name are the same domain (RFC 5890 §2.3.2.1).
    const key = canonicalName(d.domain);
    const first = seen.get(key);
    if (first !== undefined) {
      const same = domains[first]?.domain === d.domain ? "" : ` as ${JSON.stringify(domains[first]?.domain)}, the same name`;
      throw new MailDnsError("invalid-config", `this domain is listed twice (first at ${at(first)}${same})`, { field: `${at(i)}.domain`, value: d.domain, ruleId: "duplicate-record", rfc: "RFC 2181 §5" });
    }
    seen.set(key, i);
  });
  return { defaults, domains, domainsKey, ...(positions ? { positions } : {}) };
}

/** Config paths whose mistakes are a catalogue rule's, so the error names it. */
const PATH_RULES: [RegExp, string, string][] = [
  [/\.dmarc\b/, "dmarc-syntax", "RFC 9989 §4.7"],
  [/\.dkim\[\d+\]\.keyBits$/, "dkim-key-size", "RFC 8301 §3.2"],
  [/\.dkim\b/, "dkim-record-syntax", "RFC 6376 §3.6.1"],
  [/\.spf\.all$/, "spf-no-plus-all", "RFC 7208 §5.1"],
  [/\.tlsa\b/, "tlsa-record-syntax", "RFC 7672 §3.1.3, RFC 6698 §2.1"],
  [/\.spf\b/, "spf-syntax", "RFC 7208 §12"],
  [/\.mx\[\d+\]\.preference$/, "", "RFC 1035 §3.3.9"],
  [/\.ttl\b/, "", "RFC 2181 §8"],
];

const list = (values: readonly unknown[]) => {
  const v = values.map((x) => String(x));
  return v.length <= 1 ? (v[0] ?? "") : `${v.slice(0, -1).join(", ")} or ${v[v.length - 1]}`;
};

/** The keys of the mapping `schema` expects at `path` (through optionals, lists and mappings), if a mapping. */
function mappingKeysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] | undefined {
  let s: unknown = schema;
  const unwrap = () => {
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  };
  for (const p of path) {
    unwrap();
    if (s instanceof z.ZodArray && typeof p === "number") s = s.element;
    else if (s instanceof z.ZodObject && typeof p === "string") s = (s.shape as Record<string, unknown>)[p];
    else return undefined;
  }
  unwrap();
  return s instanceof z.ZodObject ? Object.keys(s.shape as object) : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, key: string, schema?: z.ZodType): { path: PropertyKey[]; reason: string } {
  const last = issue.path[issue.path.length - 1];
  const name = typeof last === "string" ? last : issue.path.length === 0 ? key : "the value";
  switch (issue.code) {
    case "invalid_value":
      return { path: issue.path, reason: `${name} must be ${list(issue.values)}` };
    case "invalid_union": {
      // A union of a mapping and `false` (spf, dmarc): the mapping's own first problem.
      const inner = issue.errors.find((option) => option[0] && option[0].path.length > 0);
      if (inner && !("discriminator" in issue)) return describeIssue({ ...inner[0], path: [...issue.path, ...(inner[0] as z.core.$ZodIssue).path] } as z.core.$ZodIssue, raw, key);
      const options = (issue as { options?: unknown }).options;
      if ("discriminator" in issue && Array.isArray(options)) return { path: issue.path, reason: `${name} must be ${list(options)}` };
      const values = issue.errors.flat().flatMap((e) => (e.code === "invalid_value" ? e.values : []));
      if (values.length === issue.errors.length && values.length > 0) return { path: issue.path, reason: `${name} must be ${list(values)}` };
      const types = [...new Set(issue.errors.flat().map((e) => (e.code === "invalid_type" ? String(e.expected) : "")))].filter(Boolean);
      return { path: issue.path, reason: types.length ? `${name} must be ${list(types.map(article))}` : `${name} is not valid here` };
    }
    case "unrecognized_keys": {
      const key = issue.keys[0] as string;
      return { path: [...issue.path, key], reason: `unknown key ${JSON.stringify(key)}${issue.keys.length > 1 ? ` (and ${list(issue.keys.slice(1).map((k) => JSON.stringify(k)))})` : ""}; check its spelling against the README's "Configuring a stack"` };
    }
    case "invalid_type": {
      const present = valueAt(raw, issue.path) !== undefined;
      if (!present) return { path: issue.path, reason: `${name} is required` };
      const expected = issue.expected === "int" ? "a whole number" : article(String(issue.expected));
      const keys = issue.expected === "object" ? mappingKeysAt(schema, issue.path) : undefined;
      return { path: issue.path, reason: `${name} must be ${expected}${keys?.length ? ` (keys: ${keys.join(", ")})` : ""}` };
    }
    case "too_small":
      return { path: issue.path, reason: issue.origin === "array" ? `${name} needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? "y" : "ies"}` : issue.origin === "string" ? `${name} must not be empty` : `${name} must be at least ${String(issue.minimum)}` };
    default:
      return { path: issue.path, reason: issue.message };
  }
}

function article(t: string): string {
  const word = t === "object" ? "mapping" : t === "array" ? "list" : t;
  return `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, p) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined), raw);
}

export function keyPath(key: string, path: readonly PropertyKey[]): string {
  return `${key}${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
}

/** `positions`: where each entry of a list `raw` sits in the file it came from, for the error's key path. */
function parseWith<T>(schema: z.ZodType<T>, raw: unknown, key: string, positions?: number[]): T {
  if (raw === undefined || raw === null) throw new MailDnsError("invalid-config", `missing: set ${key} in the stack file (Pulumi.<stack>.yaml)`, { field: key });
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const { path, reason } = describeIssue(r.error.issues[0] as z.core.$ZodIssue, raw, key, schema);
  const [first, ...rest] = path;
  const field = keyPath(key, typeof first === "number" && positions ? [positions[first] ?? first, ...rest] : path);
  const rule = PATH_RULES.find(([re]) => re.test(field));
  throw new MailDnsError("invalid-config", reason, { field, value: valueAt(raw, path), ruleId: rule?.[1] || undefined, rfc: rule?.[2] });
}

import { z } from "zod";
import { MailDnsError } from "../lib/errors";

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
  }).strict(),
  z.object({
    provider: z.literal("rfc2136"),
    /** The primary server, "host:port". The TSIG secret is the secret config value maildns:tsigSecret. */
    server: z.string().min(1),
    keyName: z.string().min(1),
    timeoutMs: z.number().int().positive().optional(),
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
  keyBits: z.union([z.literal(1024), z.literal(2048), z.literal(3072), z.literal(4096)]).optional(),
  allowWeakKey: z.boolean().optional(),
  publicKey: z.string().optional(),
  keyType: z.enum(["rsa", "ed25519"]).optional(),
  retired: z.boolean().optional(),
}).strict();

const ttl = z.object({
  address: z.number().int().optional(), mx: z.number().int().optional(), spf: z.number().int().optional(),
  dkim: z.number().int().optional(), dmarc: z.number().int().optional(), ptr: z.number().int().optional(),
}).strict();

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
  ttl: ttl.optional(),
  rules: rules.optional(),
}).strict();

export const defaultsSchema = z.object({
  dns: provider,
  reverseZones: z.array(reverseZone).optional(),
  ttl: ttl.optional(),
  dmarc: dmarc.optional(),
  dkim: z.array(dkim).optional(),
  rules: rules.optional(),
}).strict();

export type DomainConfig = z.infer<typeof domainSchema>;
export type DefaultsConfig = z.infer<typeof defaultsSchema>;
export interface StackConfig {
  defaults: DefaultsConfig;
  domains: DomainConfig[];
}

/** Parse raw config values; throws MailDnsError("invalid-config") naming the key path. */
export function parseStackConfig(rawDefaults: unknown, rawDomains: unknown): StackConfig {
  const defaults = parseWith(defaultsSchema, rawDefaults, "maildns:defaults");
  const domains = parseWith(z.array(domainSchema).min(1, "list at least one domain"), rawDomains, "maildns:domains");
  const seen = new Map<string, number>();
  domains.forEach((d, i) => {
    const key = d.domain.toLowerCase().replace(/\.$/, "");
    if (seen.has(key)) {
      throw new MailDnsError("invalid-config", `domain listed twice (also at maildns:domains[${seen.get(key)}])`, { field: `maildns:domains[${i}].domain`, value: d.domain, ruleId: "duplicate-record" });
    }
    seen.set(key, i);
  });
  return { defaults, domains };
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, key: string): T {
  if (raw === undefined) throw new MailDnsError("invalid-config", `missing: set ${key} in the stack file (Pulumi.<stack>.yaml)`, { field: key });
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  const value = issue.path.reduce<unknown>((v, p) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined), raw);
  throw new MailDnsError("invalid-config", issue.message, { field: `${key}${path}`, value });
}

import { execFileSync } from "node:child_process";
import { MailDnsError } from "../lib/errors";
import { generatedKeyMarker } from "../lib/dkim";
import { parseTxt } from "../lib/txt";

/**
 * `maildns migrate-state`: moves each DKIM key of a zone-file or RFC 2136
 * domain from its DkimKeyPair resource into the zone resource that publishes
 * it, the layout in which a zone resource generates and keeps its domain's
 * keys (one resource per domain instead of two). The keys, the records and the files
 * stay as they are: after the move `pulumi up` finds nothing to change.
 *
 * The state is read with `pulumi stack export --show-secrets` into memory
 * (the private keys are moved, so they must be read), changed, and written
 * back with `pulumi stack import` on stdin, which encrypts them again with the
 * stack's secrets provider. The plaintext never touches the disk; the backup
 * kept beforehand is an ordinary export (secrets encrypted).
 *
 * Keys whose records live elsewhere (Cloudflare, Route 53) stay resources of
 * their own: they are left untouched.
 */
export const KEY_TYPE = "pulumi-nodejs:dynamic/maildns:DkimKeyPair";
const HOLDER_TYPES = ["pulumi-nodejs:dynamic/maildns:ZoneFile", "pulumi-nodejs:dynamic/maildns:ZoneFileRecords", "pulumi-nodejs:dynamic/maildns:Rfc2136Records"];
/** The resource of the layout before 0.2 that published one record set of a zone file. */
const RECORD_SET_TYPE = "pulumi-nodejs:dynamic/maildns:ZoneFileRecordSet";
/** The marker a secret value carries in a deployment (Pulumi's `sig` key). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

type Json = Record<string, unknown>;

interface Resource extends Json {
  urn: string;
  type: string;
  parent?: string;
  delete?: boolean;
  inputs?: Json;
  outputs?: Json;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
}

export interface Move {
  selector: string;
  key: string;
  into: string;
}

export interface MigrationResult {
  moves: Move[];
  /** Keys left as resources (their records are not in a zone file), with why. */
  kept: { key: string; why: string }[];
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const isSecret = (v: unknown): v is Json => typeof v === "object" && v !== null && (v as Json)[SECRET_SIG] === SECRET_VALUE;

/** A secret of an export made with --show-secrets: its plaintext value. */
function revealed(v: unknown, what: string): unknown {
  if (!isSecret(v)) return v;
  if (typeof v.plaintext !== "string") throw fail(`${what} is encrypted in the export; the state must be exported with --show-secrets`);
  return JSON.parse(v.plaintext) as unknown;
}

const secret = (value: unknown): Json => ({ [SECRET_SIG]: SECRET_VALUE, plaintext: JSON.stringify(value) });

const fail = (reason: string, value?: unknown) => new MailDnsError("invalid-config", reason, { field: "state", value });

/**
 * The deployment (`pulumi stack export --show-secrets`'s `deployment`) with
 * each zone-file domain's keys moved; throws, changing nothing, if any key
 * cannot be placed.
 */
export function migrateDeployment(deployment: Json): { deployment: Json; result: MigrationResult } {
  const pending = deployment.pending_operations;
  if (Array.isArray(pending) && pending.length > 0) {
    throw fail("the state records an operation that was interrupted; run `pulumi refresh` (or `pulumi cancel`) and `pulumi up` with the maildns version that made it first", pending.length);
  }
  const resources = (deployment.resources ?? []) as Resource[];
  const keys = resources.filter((r) => r.type === KEY_TYPE);
  const byUrn = new Map(resources.map((r) => [r.urn, r] as const));
  const dependents = (urn: string) => resources.filter((r) => r !== byUrn.get(urn) && (r.dependencies?.includes(urn) || Object.values(r.propertyDependencies ?? {}).some((d) => d.includes(urn))));
  const holders = resources.filter((r) => HOLDER_TYPES.includes(r.type) && !r.delete);
  const result: MigrationResult = { moves: [], kept: [] };
  const placed = new Map<Resource, Resource>();

  for (const key of keys) {
    if (key.delete) throw fail(`${key.urn} is marked for deletion by an interrupted replacement; run \`pulumi up\` with the maildns version that made it first`, key.urn);
    const users = dependents(key.urn);
    const holder = users.find((u) => HOLDER_TYPES.includes(u.type));
    if (holder) placed.set(key, holder);
    else if (users.some((u) => u.type === RECORD_SET_TYPE)) {
      // Before 0.2 a resource per record set published the key; the resource that will publish it may not exist yet.
      throw fail(
        `${key.urn} is published by a record-set resource of the layout before 0.2 (ZoneFileRecordSet). ` +
          "Move the records first: set `dkimKeys: resources` in the zone-file dns settings and run `pulumi up` (the keys stay resources, the records move to one resource per domain); " +
          "then run `maildns migrate-state` and remove the setting",
        key.urn,
      );
    } else if (users.length > 0) {
      result.kept.push({ key: key.urn, why: `its record is ${users[0]?.type}, not a zone file` });
    }
  }
  // A retired key publishes nothing: it goes where a key of its domain went, or to the domain's zone.
  for (const key of keys) {
    if (placed.has(key) || dependents(key.urn).length > 0) continue;
    const prefix = nameOf(key.urn).replace(/-dkim-[^-]+$/, "");
    const sibling = [...placed.keys()].find((k) => k.parent === key.parent && nameOf(k.urn).replace(/-dkim-[^-]+$/, "") === prefix);
    const records = holders.find((h) => h.parent === key.parent && nameOf(h.urn).startsWith(`${prefix}-records-`));
    const zone = holders.find((h) => h.type === HOLDER_TYPES[0] && nameOf(h.urn) === `zonefile-${prefix.replace(/^domain-/, "")}`);
    const into = sibling ? placed.get(sibling) : (records ?? zone);
    if (into) placed.set(key, into);
    else result.kept.push({ key: key.urn, why: "a retired key, and no zone-file resource of its domain was found" });
  }

  for (const [key, into] of placed) {
    const selector = String(key.inputs?.selector ?? key.outputs?.selector ?? "");
    if (!selector) throw fail(`${key.urn} has no selector`, key.urn);
    const publicKey = key.outputs?.publicKey;
    const privateKey = revealed(key.outputs?.privateKeyPem, `${key.urn}'s private key`);
    if (typeof publicKey !== "string" || typeof privateKey !== "string") throw fail(`${key.urn} holds no key in its outputs`, key.urn);
    const outputs = (into.outputs ??= {});
    const inputs = (into.inputs ??= {});
    const publicKeys = { ...((outputs.publicKeys as Json | undefined) ?? {}) };
    const privateKeys = { ...((revealed(outputs.privateKeys, `${into.urn}'s private keys`) as Json | undefined) ?? {}) };
    if (selector in publicKeys) throw fail(`${into.urn} already holds a key for selector ${selector}; ${key.urn} would replace it`, key.urn);
    publicKeys[selector] = publicKey;
    privateKeys[selector] = privateKey;
    outputs.publicKeys = publicKeys;
    outputs.privateKeys = secret(privateKeys);
    const algorithm = key.inputs?.algorithm === "ed25519" ? "ed25519" : undefined;
    const spec = algorithm ? { algorithm } : { keyBits: Number(key.inputs?.keyBits ?? 2048), ...(key.inputs?.allowWeakKey === true ? { allowWeakKey: true } : {}) };
    inputs.keys = { ...((inputs.keys as Json | undefined) ?? {}), [selector]: spec };
    // The record as the key's marker, as this version's program declares it: zone files keep
    // a map of { rdata } in presentation form, RFC 2136 a list of { values } as sent.
    const rrsets = inputs.rrsets as Record<string, { rdata?: unknown[]; values?: unknown[] }> | undefined;
    const marker = (x: unknown, present: boolean) => (typeof x === "string" && publishes(x, publicKey, present) ? generatedKeyMarker(selector) : x);
    for (const set of Object.values(rrsets ?? {})) {
      if (Array.isArray(set?.rdata)) set.rdata = set.rdata.map((x) => marker(x, true));
      if (Array.isArray(set?.values)) set.values = set.values.map((x) => marker(x, false));
    }
    into.additionalSecretOutputs = [...new Set([...(into.additionalSecretOutputs ?? []), "privateKeys"])];
    result.moves.push({ selector, key: key.urn, into: into.urn });
  }

  const gone = new Set([...placed.keys()].map((k) => k.urn));
  const kept = resources.filter((r) => !gone.has(r.urn)).map((r) => {
    const deps = r.dependencies?.filter((u) => !gone.has(u));
    const propertyDependencies = r.propertyDependencies && Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.filter((u) => !gone.has(u))]));
    return { ...r, ...(deps ? { dependencies: deps } : {}), ...(propertyDependencies ? { propertyDependencies } : {}) };
  });
  return { deployment: { ...deployment, resources: kept }, result };
}

/** A TXT value (zone-file presentation form, or as sent) that publishes this public key. */
function publishes(value: string, publicKey: string, presentation: boolean): boolean {
  try {
    return /(^|;)\s*p=([^;]*)/.exec(presentation ? parseTxt(value).join("") : value)?.[2]?.replace(/\s+/g, "") === publicKey;
  } catch {
    return false;
  }
}

export interface MigrateOptions {
  stack?: string;
  cwd?: string;
  /** Print what would move; change nothing. */
  dryRun?: boolean;
  /** Where to keep the export taken before the change (secrets encrypted). */
  backup?: string;
}

/** Runs the migration on a stack through the Pulumi CLI. */
export function migrateState(opts: MigrateOptions): MigrationResult & { backup?: string } {
  const stackArgs = opts.stack ? ["--stack", opts.stack] : [];
  const pulumi = (args: string[], input?: string) => {
    try {
      return execFileSync("pulumi", [...args, ...stackArgs], { cwd: opts.cwd ?? process.cwd(), encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 1 << 30 });
    } catch (e) {
      const err = e as { code?: string; stderr?: string };
      const why = err.code === "ENOENT" ? "the Pulumi CLI is not on PATH" : (err.stderr ?? String(e)).trim().split("\n").pop();
      throw new MailDnsError("invalid-config", `\`pulumi ${args.join(" ")}\` failed: ${why}`, { field: "--stack", value: opts.stack ?? "(current)" });
    }
  };
  const exported = JSON.parse(pulumi(["stack", "export", "--show-secrets"])) as Json;
  const { deployment, result } = migrateDeployment((exported.deployment ?? {}) as Json);
  if (opts.dryRun || result.moves.length === 0) return result;
  const backup = opts.backup ?? `maildns-state-backup-${opts.stack ?? "stack"}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  pulumi(["stack", "export", "--file", backup]);
  pulumi(["stack", "import"], JSON.stringify({ ...exported, deployment }));
  return { ...result, backup };
}

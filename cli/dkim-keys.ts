import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDkim } from "../lib/dkim";
import { MailDnsError } from "../lib/errors";
import { canonicalName } from "../lib/names";

/**
 * `maildns dkim-keys`: the DKIM private keys a stack generated, written for
 * the signer — PEM files, OpenDKIM's KeyTable and SigningTable, or rspamd's
 * dkim_signing.conf. Keys go to files of mode 0600 in directories of mode
 * 0700, never to stdout unless asked, and never over a different key
 * without --force.
 */
export type KeyFormat = "pem" | "opendkim" | "rspamd";

export interface DomainKey {
  domain: string;
  selector: string;
  pem: string;
  /** Published with a live key (not retired): a signer may use it. */
  live: boolean;
  /** The published record's k= ("rsa" when absent). */
  keyType?: string;
}

export interface DkimKeysOptions {
  stack?: string;
  cwd?: string;
  domain?: string[];
  format?: string;
  out?: string;
  force?: boolean;
  stdout?: boolean;
}

const bad = (field: string, value: unknown, reason: string) => new MailDnsError("invalid-config", reason, { field, value });

/** The stack's outputs, secrets shown, from the Pulumi CLI (the program's own directory and stack). */
export function stackOutputs(opts: Pick<DkimKeysOptions, "stack" | "cwd">): unknown {
  const args = ["stack", "output", "--json", "--show-secrets", ...(opts.stack ? ["--stack", opts.stack] : [])];
  let text: string;
  try {
    text = execFileSync("pulumi", args, { cwd: opts.cwd ?? process.cwd(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    const why = err.code === "ENOENT" ? "the Pulumi CLI is not on PATH" : (err.stderr ?? String(e)).trim().split("\n").pop();
    throw bad("--stack", opts.stack ?? "(current)", `cannot read the stack's outputs with \`pulumi ${args.join(" ")}\`: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad("--stack", opts.stack ?? "(current)", "`pulumi stack output --json` did not print JSON");
  }
}

/** Every generated key of the stack's mail domains (outputs `domains.<domain>.dkimKeys`, as maildns's stack program exports them). */
export function keysFromOutputs(outputs: unknown, only?: string[]): DomainKey[] {
  const domains = (outputs as { domains?: unknown } | null)?.domains;
  if (!domains || typeof domains !== "object") {
    throw new MailDnsError("invalid-config", 'the stack has no "domains" output: maildns\'s stack program exports it once `pulumi up` has run; a program of your own exports it with `export const domains = mailDomainOutputs(...)` (README, "As a library")', { field: "stack output" });
  }
  const wanted = only?.map((d) => canonicalName(d));
  const out: DomainKey[] = [];
  for (const w of wanted ?? []) if (!(w in domains)) throw bad("--domain", w, `the stack declares no such mail domain (it has ${Object.keys(domains).join(", ")})`);
  for (const [domain, value] of Object.entries(domains as Record<string, { dkim?: { selector: string; value: string }[]; dkimKeys?: unknown }>)) {
    if (wanted && !wanted.includes(domain)) continue;
    if (value.dkimKeys === undefined) throw bad("--stack", domain, "the stack's outputs hold no dkimKeys: run `pulumi up` with this version of maildns first");
    if (value.dkimKeys === "[secret]") throw bad("--stack", domain, "the keys came back as [secret]: the outputs were read without --show-secrets");
    for (const [selector, pem] of Object.entries(value.dkimKeys as Record<string, string>)) {
      if (typeof pem !== "string" || !pem.includes("PRIVATE KEY")) throw bad("--stack", `${domain} ${selector}`, "not a PEM private key");
      const record = value.dkim?.find((d) => d.selector === selector);
      const parsed = record ? parseDkim(record.value).record : undefined;
      out.push({ domain, selector, pem, live: parsed !== undefined && !parsed.revoked && parsed.publicKey !== "", keyType: parsed?.keyType ?? "rsa" });
    }
  }
  return out.sort((a, b) => a.domain.localeCompare(b.domain) || a.selector.localeCompare(b.selector));
}

interface PlannedFile {
  path: string;
  content: string;
  secret: boolean;
}

/** The files of a format: keys (secret), and the signer's tables or config naming them by absolute path. */
export function plannedFiles(keys: DomainKey[], format: KeyFormat, outDir: string): PlannedFile[] {
  const dir = resolve(outDir);
  const ext = format === "pem" ? "pem" : format === "opendkim" ? "private" : "key";
  const keyPath = (k: DomainKey) => (format === "pem" ? join(dir, k.domain, `${k.selector}.pem`) : join(dir, "keys", k.domain, `${k.selector}.${ext}`));
  const files: PlannedFile[] = keys.map((k) => ({ path: keyPath(k), content: k.pem, secret: true }));
  // The signer signs with each domain's last live RSA selector (the newest in the config); the others are kept for roll-back.
  // Ed25519 keys (RFC 8463) are written but not signed with here: OpenDKIM applies one SignatureAlgorithm
  // (rsa-sha256 by default) to every key and defers each message (451 4.7.0) it cannot sign with an Ed25519 key.
  const signing = new Map<string, DomainKey>();
  for (const k of keys) if (k.live && (k.keyType ?? "rsa") === "rsa") signing.set(k.domain, k);
  if (format === "opendkim") {
    files.push({ path: join(dir, "KeyTable"), secret: false, content: keys.map((k) => `${k.selector}._domainkey.${k.domain} ${k.domain}:${k.selector}:${keyPath(k)}\n`).join("") });
    files.push({ path: join(dir, "SigningTable"), secret: false, content: [...signing.values()].map((k) => `*@${k.domain} ${k.selector}._domainkey.${k.domain}\n`).join("") });
  } else if (format === "rspamd") {
    const blocks = [...signing.values()].map((k) => `  ${k.domain} {\n    selectors [\n      { path = "${keyPath(k)}"; selector = "${k.selector}"; }\n    ]\n  }\n`);
    files.push({ path: join(dir, "dkim_signing.conf"), secret: false, content: `# written by maildns dkim-keys\ndomain {\n${blocks.join("")}}\n` });
  }
  return files;
}

/**
 * Writes the files; refuses, before writing any, to replace a key file that
 * holds another key unless `force` (the tables and configs are maildns's own
 * and follow the keys). Returns the paths written.
 */
export function writeFiles(files: PlannedFile[], outDir: string, force = false): string[] {
  const conflicts = files.filter((f) => f.secret && existsSync(f.path) && readFileSync(f.path, "utf8") !== f.content);
  if (conflicts.length && !force) {
    throw bad("--out", outDir, `${conflicts.map((f) => f.path).join(", ")} already exist${conflicts.length === 1 ? "s" : ""} with other content (a different key?); nothing was written. Pass --force to replace`);
  }
  const written: string[] = [];
  for (const f of files) {
    if (existsSync(f.path) && readFileSync(f.path, "utf8") === f.content) continue;
    privateDir(dirname(f.path), resolve(outDir));
    const tmp = `${f.path}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, f.content, { mode: f.secret ? 0o600 : 0o644, flag: "wx" });
      chmodSync(tmp, f.secret ? 0o600 : 0o644);
      renameSync(tmp, f.path);
    } finally {
      rmSync(tmp, { force: true });
    }
    written.push(f.path);
  }
  return written;
}

/** `dir` and every folder between it and `root` (included) exist with mode 0700. */
function privateDir(dir: string, root: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let d = dir; ; d = dirname(d)) {
    chmodSync(d, 0o700);
    if (d === root || dirname(d) === d) break;
  }
}

export function dkimKeys(opts: DkimKeysOptions, outputs: unknown = undefined): { keys: DomainKey[]; written: string[]; stdout: string } {
  const format = (opts.format ?? "pem") as KeyFormat;
  if (!["pem", "opendkim", "rspamd"].includes(format)) throw bad("--format", opts.format, "the format is pem, opendkim or rspamd");
  if (!opts.out && !opts.stdout) throw bad("--out", opts.out, "name a directory for the keys (--out DIR); keys go to stdout only with --stdout");
  const keys = keysFromOutputs(outputs ?? stackOutputs(opts), opts.domain);
  if (keys.length === 0) throw bad("--stack", opts.stack ?? "(current)", "the stack generated no DKIM keys (selectors with a publicKey are managed elsewhere)");
  const stdout = opts.stdout ? keys.map((k) => `# ${k.selector}._domainkey.${k.domain}${k.live ? "" : " (retired)"}\n${k.pem}`).join("") : "";
  const written = opts.out ? writeFiles(plannedFiles(keys, format, opts.out), opts.out, opts.force) : [];
  return { keys, written, stdout };
}

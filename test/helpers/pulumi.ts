import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throw-away Pulumi project for e2e tests: the built program of this
 * checkout (dist/, node_modules/ linked), a stack file, a local file
 * backend and a passphrase secrets provider, all in a temporary folder.
 */
const root = join(__dirname, "../..");

/** The directory holding the Pulumi CLI (scripts/pulumi-cli.sh), or undefined when it cannot be had. */
export function pulumiBin(): string | undefined {
  if (process.env.MAILDNS_PULUMI_BIN) return process.env.MAILDNS_PULUMI_BIN;
  const r = spawnSync("bash", [join(root, "scripts/pulumi-cli.sh")], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export interface TempProject {
  dir: string;
  /**
   * Replace the stack file (Pulumi.e2e.yaml) with `yaml`, a `config:` document,
   * keeping its encryption salt and the secrets `pulumi config set --secret`
   * stored in it (a key `yaml` sets itself wins).
   */
  setStackFile(yaml: string): void;
  run(args: string[], opts?: { allowFail?: boolean; env?: NodeJS.ProcessEnv }): { status: number; stdout: string; stderr: string };
}

/** `program`: the source of a plain program (program.js) instead of the maildns stack program. */
export function tempProject(stackYaml: string, bin: string, opts: { program?: string } = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), "maildns-e2e-"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  // A copy, not a link: the program finds its project (Pulumi.yaml) above its own directory.
  cpSync(join(root, "dist"), join(dir, "dist"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "maildns-e2e", private: true }));
  if (opts.program) writeFileSync(join(dir, "program.js"), opts.program);
  writeFileSync(join(dir, "Pulumi.yaml"), `name: maildns\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${opts.program ? "program.js" : "dist/index.js"}\n`);
  writeFileSync(join(dir, "Pulumi.e2e.yaml"), stackYaml);
  return pulumiProject(dir, bin);
}

/** Run the Pulumi CLI in `dir` (which holds Pulumi.yaml) on a local file backend in `dir/.state`, stack "e2e". */
export function pulumiProject(dir: string, bin = pulumiBin() ?? ""): TempProject {
  mkdirSync(join(dir, ".state"), { recursive: true });
  const env = pulumiEnv(dir, bin);
  const run = (args: string[], opts: { allowFail?: boolean; env?: NodeJS.ProcessEnv } = {}) => {
    const r = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: dir, env: { ...env, ...opts.env }, encoding: "utf8", maxBuffer: 1 << 26, timeout: 300_000 });
    const out = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    if (out.status !== 0 && !opts.allowFail) throw new Error(`pulumi ${args.join(" ")} failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
    return out;
  };
  execFileSync("pulumi", ["stack", "init", "e2e", "--secrets-provider", "passphrase", "--non-interactive"], { cwd: dir, env, stdio: "ignore" });
  return { dir, run, setStackFile: (yaml) => setStackFile(join(dir, "Pulumi.e2e.yaml"), yaml) };
}

function setStackFile(file: string, yaml: string): void {
  const old = existsSync(file) ? readFileSync(file, "utf8") : "";
  const salt = old.match(/^encryptionsalt:.*$/m)?.[0];
  const secrets = [...old.matchAll(/^ {2}(\S+):\n {4}secure: .*\n/gm)].filter((m) => !yaml.includes(`\n  ${m[1]}:`)).map((m) => m[0]);
  const body = yaml.replace(/^config:\n/, `config:\n${secrets.join("")}`);
  writeFileSync(file, `${body.endsWith("\n") ? body : `${body}\n`}${salt ? `${salt}\n` : ""}`);
}

/** The environment of the Pulumi CLI for a project in `dir`: the CLI on PATH, a local backend, a passphrase. */
export function pulumiEnv(dir: string, bin: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${join(dir, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_HOME: join(dir, ".pulumi-home"),
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
}

/**
 * The describe() of an e2e suite: runs it with the Pulumi CLI and BIND, or
 * skips it saying which is missing.
 */
export function e2eSuite(what: string, haveBind: boolean): { describe: jest.Describe; bin: string } {
  const bin = pulumiBin();
  if (bin && haveBind) return { describe, bin };
  console.warn(`skipping ${what}: ${!bin ? "no Pulumi CLI (scripts/pulumi-cli.sh failed)" : "no BIND (named) installed"}`);
  return { describe: describe.skip, bin: "" };
}

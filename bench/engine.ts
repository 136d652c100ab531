/**
 * The real engine on the `local` layout (zone files, file backend): for N
 * domains — one mail host, MX, SPF with an include, one generated 2048-bit
 * DKIM key, DMARC with rua — the first `pulumi up`, a no-change preview, a
 * no-change up, and a one-domain change with its preview; wall time, peak
 * RSS of the whole process tree (engine, language host, providers) and the
 * resources in the stack. Beside it, a bare Pulumi program registering the
 * same resource (a zone file with the record sets, which makes the key)
 * straight from maildns's zone class, as the baseline; the maildns stack again
 * with PULUMI_SKIP_CHECKPOINTS=true (the state saved once at the end; the
 * number for the README's advice); and the fleet layout: N domains as stacks
 * of 100, run `parallel` at once with `maildns fleet`.
 *
 *   node dist/bench/engine.js [sizes=10,100,1000] [runs=3] [fleet=1000]
 *   BENCH_ENGINE_KINDS=maildns,bare,bare-v8,skip-checkpoints,floor,one-resource (default: all six)
 *
 * A size may carry its own number of runs: "10,100,1000:1".
 * Prints one JSON line per measurement and a table last. Needs the Pulumi
 * CLI on PATH (scripts/pulumi-cli.sh builds one).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "../..");
const runs = Number(process.argv[3] ?? 3);
const plan = (process.argv[2] ?? "10,100,1000").split(",").map((x) => {
  const [n, r] = x.split(":");
  return { n: Number(n), runs: r === undefined ? runs : Number(r) };
});
const sizes = plan.map((p) => p.n);
const fleetSize = Number(process.argv[4] ?? 1000);
/** BENCH_ENGINE_KINDS picks some of the programs (default all): maildns,bare,bare-v8,skip-checkpoints,floor,one-resource. */
const kinds = (process.env.BENCH_ENGINE_KINDS ?? "maildns,bare,bare-v8,skip-checkpoints,floor,one-resource").split(",") as Kind[];

interface Measure { wallS: number; peakRssMiB: number }

/** Runs a command; samples the RSS of its whole process group every 100 ms. */
function measured(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Measure & { status: number; out: string }> {
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    let peak = 0;
    const sample = () => {
      let total = 0;
      for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
          const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          if (Number(fields[2]) !== child.pid) continue; // process group
          total += Number(fields[21]) * 4096;
        } catch {
          // gone
        }
      }
      peak = Math.max(peak, total);
    };
    const timer = setInterval(sample, 100);
    child.on("exit", (code) => {
      clearInterval(timer);
      resolvePromise({ status: code ?? -1, out, wallS: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB: Math.round(peak / 2 ** 20) });
    });
  });
}

function domainsYaml(n: number, change = -1, groupSize = 0): string {
  const lines = ["defaults:", "  dns: { provider: zonefile, directory: zonefiles }", "  dkim: [{ selector: s1 }]", "domains:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  - domain: d${i}.example.com`);
    if (groupSize) lines.push(`    group: g${Math.floor(i / groupSize)}`);
    lines.push(`    mailHosts: [{ name: mx1, ipv4: ["192.0.2.${(i % 250) + 1}"] }]`);
    lines.push(`    spf: { include: ["_spf.provider.example"] }`);
    lines.push(`    dmarc: { p: ${i === change ? "quarantine" : "reject"}, rua: ["dmarc@d${i}.example.com"] }`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The same resource without maildns's stack program: a zone file with the record sets, whose
 * provider makes the DKIM key, registered directly. It lives in dist/ beside maildns's own program: a program at the project root
 * makes the language host list the provider plugins of every @pulumi package in node_modules, and
 * the engine then tries to install the AWS and Cloudflare plugins on each run (seconds, offline).
 */
const BARE = `"use strict";
const { zoneFile } = require("./zones/zonefile.js");
const { parse } = require("yaml");
const file = parse(require("fs").readFileSync(require("path").join(__dirname, "..", "domains.yaml"), "utf8"));
for (const d of file.domains) {
  const apex = d.domain;
  const zone = zoneFile({ name: apex, directory: "zonefiles" });
  const dkim = { values: [], generatedKeys: [{ selector: "s1", keyBits: 2048 }] };
  const host = "mx1." + apex;
  zone.createRecords([
    { name: host, type: "A", ttl: 3600, values: d.mailHosts[0].ipv4 },
    { name: apex, type: "MX", ttl: 3600, values: ["10 " + host + "."] },
    { name: apex, type: "TXT", ttl: 3600, values: ["v=spf1 mx include:_spf.provider.example -all"] },
    { name: "s1._domainkey." + apex, type: "TXT", ttl: 3600, ...dkim },
    { name: "_dmarc." + apex, type: "TXT", ttl: 3600, values: ["v=DMARC1; p=" + d.dmarc.p + "; rua=mailto:" + d.dmarc.rua[0]] },
  ], { namePrefix: apex });
}
`;

type Kind = "maildns" | "bare" | "bare-v8" | "skip-checkpoints" | "floor" | "one-resource";

/**
 * The bare program with stack traces formatted as maildns's stack program formats them (by V8, not
 * by the source-map-support that the SDK's runner installs): maildns / bare-v8 is what maildns's own
 * work costs (the configuration read and checked, aliases, stack outputs), the formatting aside.
 */
const BARE_V8 = BARE.replace(`"use strict";\n`, `"use strict";\nReflect.deleteProperty(Error, "prepareStackTrace");\n`);

if (BARE_V8 === BARE) throw new Error("bench/engine.ts: the bare-v8 program is the bare one");

/**
 * The engine's own floor: one zone-file resource per domain with the same record sets and a fixed
 * DKIM value (no key to generate): what any program pays per resource on this backend.
 */
const FLOOR = BARE.replace(
  `  const dkim = { values: [], generatedKeys: [{ selector: "s1", keyBits: 2048 }] };\n`,
  `  const dkim = { values: ["v=DKIM1; k=rsa; p=" + "A".repeat(392)] };\n`,
);

if (FLOOR === BARE) throw new Error("bench/engine.ts: the floor program did not drop the key from the bare one");

/**
 * The least any layout can cost on this backend: one resource per domain holding its whole zone
 * (the same record sets, as one text) whose provider generates the DKIM key itself, with nothing
 * else in its state (a 16-hex digest, the public key, the private key's prime as a secret):
 * about 2.2 KiB a domain against maildns's zone resource (about 2.6 KiB: record sets one by one, digests).
 * Not a maildns layout:
 * the reference for what the file backend's per-step rewrite leaves to any program.
 */
const ONE_RESOURCE_PROVIDER = `"use strict";
const crypto = require("crypto");
const fs = require("fs");
const digest = (r) => crypto.createHash("sha256").update(r).digest("hex").slice(0, 16);
const write = (o, r, k) => {
  fs.mkdirSync("zonefiles", { recursive: true });
  fs.writeFileSync("zonefiles/" + o + ".zone", r.replace("@KEY@", k) + "\\n");
};
exports.p = {
  async check(olds, news) { return { inputs: news }; },
  async diff(id, olds, news) { return { changes: olds.h !== digest(news.r) }; },
  async create(inputs) {
    const pair = await new Promise((res, rej) => crypto.generateKeyPair("rsa", { modulusLength: 2048 }, (e, pub, key) => (e ? rej(e) : res({ pub, key }))));
    const k = pair.pub.export({ type: "spki", format: "der" }).toString("base64");
    write(inputs.o, inputs.r, k);
    return { id: inputs.o, outs: { h: digest(inputs.r), k, s: pair.key.export({ format: "jwk" }).p } };
  },
  async read(id, props) { return { id, props }; },
  async update(id, olds, news) {
    write(news.o, news.r, olds.k);
    return { outs: { h: digest(news.r), k: olds.k, s: olds.s } };
  },
  async delete(id) { fs.rmSync("zonefiles/" + id + ".zone", { force: true }); },
};
`;

const ONE_RESOURCE = `"use strict";
Reflect.deleteProperty(Error, "prepareStackTrace");
const pulumi = require("@pulumi/pulumi");
const { parse } = require("yaml");
const file = parse(require("fs").readFileSync(require("path").join(__dirname, "..", "domains.yaml"), "utf8"));
const provider = "exports.handler=()=>require(" + JSON.stringify(require("path").join(__dirname, "one-resource-provider.js")) + ").p;";
for (const d of file.domains) {
  const apex = d.domain;
  const r = [
    "$ORIGIN " + apex + ".",
    "@ 3600 SOA ns1 hostmaster 0 3600 900 1209600 300",
    "@ 3600 NS ns1",
    "ns1 3600 A 127.0.0.1",
    "mx1 3600 A " + d.mailHosts[0].ipv4[0],
    "@ 3600 MX 10 mx1",
    '@ 3600 TXT "v=spf1 mx include:_spf.provider.example -all"',
    's1._domainkey 3600 TXT "v=DKIM1; k=rsa; p=@KEY@"',
    '_dmarc 3600 TXT "v=DMARC1; p=' + d.dmarc.p + "; rua=mailto:" + d.dmarc.rua[0] + '"',
  ].join("\\n");
  new pulumi.CustomResource("pulumi-nodejs:dynamic/bench:Zone", "zone-" + apex, { __provider: provider, o: apex, r, h: undefined, k: undefined, s: undefined }, { additionalSecretOutputs: ["s"] });
}
`;

function project(kind: Kind, n: number, groupSize = 0): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), `maildns-bench-${kind}-`));
  mkdirSync(join(dir, ".state"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  cpSync(join(root, "dist"), join(dir, "dist"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench", private: true }));
  const plain = kind === "bare" || kind === "bare-v8" || kind === "floor" || kind === "one-resource";
  if (plain) writeFileSync(join(dir, "dist/bare.js"), kind === "bare" ? BARE : kind === "bare-v8" ? BARE_V8 : kind === "floor" ? FLOOR : ONE_RESOURCE);
  if (kind === "one-resource") writeFileSync(join(dir, "dist/one-resource-provider.js"), ONE_RESOURCE_PROVIDER);
  writeFileSync(join(dir, "Pulumi.yaml"), `name: bench\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${plain ? "dist/bare.js" : "dist/index.js"}\n`);
  writeFileSync(join(dir, "domains.yaml"), domainsYaml(n, -1, groupSize));
  // The local stack's backend as scripts/pulumi-env.sh sets it (no .attrs files).
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_BACKEND_URL: `file://${join(dir, ".state")}?metadata=skip`, PULUMI_CONFIG_PASSPHRASE: "bench", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_HOME: join(dir, ".pulumi-home") };
  if (kind === "skip-checkpoints") env.PULUMI_SKIP_CHECKPOINTS = "true";
  if (!groupSize) {
    execFileSync("pulumi", ["stack", "init", "bench", "--secrets-provider", "passphrase", "--non-interactive"], { cwd: dir, env, stdio: "ignore" });
    // Through the CLI, so the stack file keeps its encryption salt (as the bare program's does).
    if (!plain) execFileSync("pulumi", ["config", "set", "maildns:domainsFile", "domains.yaml", "--stack", "bench", "--non-interactive"], { cwd: dir, env, stdio: "ignore" });
  }
  return { dir, env };
}

const P = ["--non-interactive", "--stack", "bench"];

async function series(kind: Kind, n: number) {
  const { dir, env } = project(kind, n);
  const step = async (what: string, args: string[]) => {
    const m = await measured("pulumi", [...args, ...P], dir, env);
    if (m.status !== 0) throw new Error(`${kind} ${n}: ${what} failed:\n${m.out.slice(-3000)}`);
    return { what, wallS: Number(m.wallS.toFixed(2)), peakRssMiB: m.peakRssMiB };
  };
  const out = [await step("first up", ["up", "--yes", "--skip-preview"])];
  out.push(await step("no-change preview", ["preview", "--expect-no-changes"]));
  out.push(await step("no-change up", ["up", "--yes", "--skip-preview", "--expect-no-changes"]));
  writeFileSync(join(dir, "domains.yaml"), domainsYaml(n, Math.floor(n / 2)));
  out.push(await step("one-domain change: preview", ["preview"]));
  out.push(await step("one-domain change: up", ["up", "--yes", "--skip-preview"]));
  const state = JSON.parse(execFileSync("pulumi", ["stack", "export", "--stack", "bench"], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 30 })) as { deployment: { resources?: unknown[] } };
  const resources = state.deployment.resources?.length ?? 0;
  const stateBytes = existsSync(join(dir, ".state/.pulumi/stacks/bench/bench.json")) ? readFileSync(join(dir, ".state/.pulumi/stacks/bench/bench.json")).length : 0;
  rmSync(dir, { recursive: true, force: true });
  return { kind, domains: n, resources, stateKiB: Math.round(stateBytes / 1024), steps: out };
}

async function fleet(n: number, groupSize: number, parallel: number) {
  const { dir, env } = project("maildns", n, groupSize);
  const m = await measured(process.execPath, [join(root, "dist/cli/index.js"), "fleet", "up", "--domains-file", "domains.yaml", "--parallel", String(parallel)], dir, env);
  if (m.status !== 0) throw new Error(`fleet failed:\n${m.out.slice(-3000)}`);
  rmSync(dir, { recursive: true, force: true });
  return { kind: "fleet", domains: n, stacks: n / groupSize, parallel, wallS: Number(m.wallS.toFixed(2)), peakRssMiB: m.peakRssMiB };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  try {
    execFileSync("pulumi", ["version"], { stdio: "ignore" });
  } catch {
    console.log(JSON.stringify({ skipped: "no pulumi on PATH (bash scripts/pulumi-cli.sh builds one; source scripts/env.sh puts it on PATH)" }));
    return;
  }
  const rows: { kind: string; domains: number; resources: number; stateKiB: number; step: string; wallS: number; peakRssMiB: number }[] = [];
  for (const n of sizes) {
    for (const kind of kinds) {
      const all = [];
      const count = plan.find((p) => p.n === n)?.runs ?? runs;
      for (let r = 0; r < count; r++) {
        const s = await series(kind, n);
        console.log(JSON.stringify(s));
        all.push(s);
      }
      for (const [i, st] of (all[0]?.steps ?? []).entries()) {
        rows.push({ kind, domains: n, resources: all[0]?.resources ?? 0, stateKiB: all[0]?.stateKiB ?? 0, step: st.what, wallS: median(all.map((a) => a.steps[i]?.wallS ?? 0)), peakRssMiB: median(all.map((a) => a.steps[i]?.peakRssMiB ?? 0)) });
      }
    }
  }
  console.log(`\nreal engine, local stack (zone files, file backend); medians of ${plan.map((p) => `${p.runs} at ${p.n}`).join(", ")}`);
  console.log(`${"domains".padStart(7)}  ${"step".padEnd(28)}${"maildns s".padStart(10)}${"bare s".padStart(9)}${"ratio".padStart(7)}${"MiB".padStart(6)}${"bare MiB".padStart(9)}${"res/dom".padStart(9)}${"KiB/dom".padStart(9)}${"s/dom".padStart(7)}${"no-ckpt s".padStart(11)}${"bare-v8 s".padStart(11)}${"ratio".padStart(7)}`);
  for (const n of sizes) {
    for (const m of rows.filter((r) => r.kind === "maildns" && r.domains === n)) {
      const b = rows.find((r) => r.kind === "bare" && r.domains === n && r.step === m.step);
      const k = rows.find((r) => r.kind === "skip-checkpoints" && r.domains === n && r.step === m.step);
      const v = rows.find((r) => r.kind === "bare-v8" && r.domains === n && r.step === m.step);
      console.log(
        `${String(n).padStart(7)}  ${m.step.padEnd(28)}${m.wallS.toFixed(1).padStart(10)}${(b ? b.wallS.toFixed(1) : "-").padStart(9)}${(b ? (m.wallS / Math.max(b.wallS, 0.01)).toFixed(2) : "-").padStart(7)}` +
          `${String(m.peakRssMiB).padStart(6)}${(b ? String(b.peakRssMiB) : "-").padStart(9)}${(m.resources / n).toFixed(1).padStart(9)}${(m.stateKiB / n).toFixed(1).padStart(9)}${(m.wallS / n).toFixed(3).padStart(7)}${(k ? k.wallS.toFixed(1) : "-").padStart(11)}` +
          `${(v ? v.wallS.toFixed(1) : "-").padStart(11)}${(v ? (m.wallS / Math.max(v.wallS, 0.01)).toFixed(2) : "-").padStart(7)}`,
      );
    }
  }
  console.log("ratio: maildns / bare; s/dom: maildns seconds per domain; no-ckpt: maildns with PULUMI_SKIP_CHECKPOINTS=true (state saved once, at the end); bare-v8: the bare program with stack traces formatted by V8, as maildns's program formats them, and maildns / bare-v8");
  const firstOf = (kind: Kind, n: number) => rows.find((r) => r.kind === kind && r.domains === n && r.step === "first up")?.wallS;
  const first = (n: number) => firstOf("maildns", n);
  for (const kind of ["maildns", "bare", "bare-v8", "skip-checkpoints", "floor", "one-resource"] as const) {
    const [a, b] = [firstOf(kind, 100), firstOf(kind, 1000)];
    if (a && b) console.log(`growth of the first up from 100 to 1,000 domains, ${kind}: ${(b / a).toFixed(1)}x (${a.toFixed(1)} s -> ${b.toFixed(1)} s)`);
  }
  console.log("floor: one zone-file resource per domain, the same record sets, a fixed DKIM value (no key): what the file backend itself costs per resource");
  console.log("one-resource: one resource per domain holding the zone as one text and its generated key, ~2.2 KiB of state a domain: the least any layout pays on this backend");
  if (fleetSize > 0) {
    const f = await fleet(fleetSize, 100, 2);
    console.log(JSON.stringify(f));
    console.log(`fleet: ${f.domains} domains as ${f.stacks} stacks of 100, 2 at once: ${f.wallS.toFixed(1)} s (single stack: ${first(fleetSize)?.toFixed(1) ?? "not measured"} s), peak RSS ${f.peakRssMiB} MiB`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

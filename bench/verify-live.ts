/**
 * `maildns verify` of many domains from one process against a local BIND:
 * wall time, peak memory, distinct DNS questions, and the queries BIND
 * itself counted (its statistics channel). Each domain has MX, SPF with a
 * shared include, DMARC and a DKIM selector; 20 mail hosts with PTRs are
 * shared among them, as at a hosting provider.
 *
 *   node dist/bench/verify-live.js [domains=1000] [runs=3] [concurrency=32]
 *
 * Prints one JSON line per run and a summary line (medians) last.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyAll } from "../cli/verify";
import { presentTxt } from "../lib/txt";

const domains = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);
const concurrency = process.argv[4] ?? "32";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const txt = (value: string) => `TXT ${presentTxt(value)}`;

function writeZones(dir: string, n: number): string[] {
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const head = (z: string) => [`$ORIGIN ${z}.`, "$TTL 300", `@ SOA ns.${z}. hostmaster.${z}. 1 3600 900 1209600 300`, `@ NS ns.${z}.`, "ns A 127.0.0.1"];
  const bench = [...head("bench.example"), "@ MX 10 mx0.bench.example.", ...Array.from({ length: 20 }, (_, i) => `mx${i} A 192.0.2.${i + 10}`)];
  for (let i = 0; i < n; i++) {
    const d = `d${i}`;
    bench.push(`${d} MX 10 mx${i % 20}.bench.example.`, `${d} MX 20 mx${(i + 1) % 20}.bench.example.`, `${d} ${txt("v=spf1 mx include:_spf.provider.example -all")}`);
    bench.push(`_dmarc.${d} ${txt("v=DMARC1; p=reject; rua=mailto:dmarc@bench.example")}`, `s1._domainkey.${d} ${txt(`v=DKIM1; k=rsa; p=${key}`)}`);
  }
  const zones: Record<string, string[]> = {
    "bench.example": bench,
    "provider.example": [...head("provider.example"), `_spf ${txt("v=spf1 ip4:198.51.100.0/24 -all")}`],
    "2.0.192.in-addr.arpa": [...head("2.0.192.in-addr.arpa"), ...Array.from({ length: 20 }, (_, i) => `${i + 10} PTR mx${i}.bench.example.`)],
  };
  return Object.entries(zones).map(([name, lines]) => {
    writeFileSync(join(dir, `${name}.zone`), `${lines.join("\n")}\n`);
    return `zone "${name}" { type primary; file "${join(dir, `${name}.zone`)}"; };`;
  });
}

async function startNamed(dir: string, zones: string[]): Promise<{ proc: ChildProcess; port: number; stats: number }> {
  const [port, stats] = [await freePort(), await freePort()];
  writeFileSync(join(dir, "named.conf"), `options { directory "${dir}"; pid-file "${dir}/named.pid"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; notify no; };
controls { };
statistics-channels { inet 127.0.0.1 port ${stats} allow { 127.0.0.1; }; };
${zones.join("\n")}
`);
  const proc = spawn("named", ["-g", "-c", join(dir, "named.conf"), ...(process.getuid?.() === 0 ? ["-u", "root"] : [])], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout?.on("data", (d) => (log += d));
  proc.stderr?.on("data", (d) => (log += d));
  for (let i = 0; !/running/.test(log); i++) {
    if (i > 300 || proc.exitCode !== null) throw new Error(`named did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, port, stats };
}

/** Queries BIND has received so far (all opcodes QUERY), from its JSON statistics. */
async function queriesReceived(statsPort: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${statsPort}/json/v1/server`);
  const body = (await res.json()) as { opcodes?: Record<string, number> };
  return body.opcodes?.QUERY ?? 0;
}

async function main(): Promise<void> {
  try {
    execFileSync("named", ["-v"], { stdio: "ignore" });
  } catch {
    console.log(JSON.stringify({ skipped: "BIND (named) is not installed" }));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "maildns-bench-verify-"));
  const { proc, port, stats } = await startNamed(dir, writeZones(dir, domains));
  try {
    const list = Array.from({ length: domains }, (_, i) => `d${i}.bench.example`);
    const results: { wallMs: number; questions: number; queries: number; errors: number; peakRssMiB: number }[] = [];
    for (let r = 0; r < runs; r++) {
      const before = await queriesReceived(stats);
      const t0 = process.hrtime.bigint();
      const run = await verifyAll(list, { server: `127.0.0.1:${port}`, selector: ["s1"], concurrency, timeout: "5000" });
      const wallMs = Number((process.hrtime.bigint() - t0) / 1_000_000n);
      const queries = (await queriesReceived(stats)) - before;
      const row = { run: r + 1, domains, wallMs, questions: run.questions, queries, errors: run.errors, unverified: run.unverified, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
      console.log(JSON.stringify(row));
      results.push(row);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const summary = {
      domains,
      runs,
      concurrency: Number(concurrency),
      medianWallMs: median(results.map((x) => x.wallMs)),
      questionsPerDomain: Number((median(results.map((x) => x.questions)) / domains).toFixed(2)),
      queries: median(results.map((x) => x.queries)),
      questions: median(results.map((x) => x.questions)),
      errors: median(results.map((x) => x.errors)),
      peakRssMiB: Math.max(...results.map((x) => x.peakRssMiB)),
    };
    console.log(JSON.stringify({ summary }));
  } finally {
    proc.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

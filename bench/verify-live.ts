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
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyAll } from "../cli/verify";
import { queryRrset } from "../zones/dnsupdate";
import { presentTxt } from "../lib/txt";

const domains = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);
const concurrency = process.argv[4] ?? "32";

/** Two distinct free loopback ports: both sockets are held open until both are known. */
async function freePorts(): Promise<[number, number]> {
  const open = () =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    });
  const servers = [await open(), await open()];
  const ports = servers.map((s) => (s.address() as { port: number }).port) as [number, number];
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const txt = (value: string) => `TXT ${presentTxt(value)}`;

function writeZones(dir: string, n: number): { conf: string[]; names: string[] } {
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
  const conf = Object.entries(zones).map(([name, lines]) => {
    writeFileSync(join(dir, `${name}.zone`), `${lines.join("\n")}\n`);
    return `zone "${name}" { type primary; file "${join(dir, `${name}.zone`)}"; };`;
  });
  return { conf, names: Object.keys(zones) };
}

type Named = { proc: ChildProcess; port: number; stats: number };

/**
 * Start named and wait until every zone answers its SOA ("running" can come
 * first). A port picked as free can be taken before named binds it (for UDP,
 * by anyone): then start again on other ports.
 */
async function startNamed(dir: string, zones: string[], names: string[]): Promise<Named> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNamedOnce(dir, zones, names);
    } catch (e) {
      if (attempt >= 5 || !/address in use/i.test(String(e))) throw e;
    }
  }
}

async function startNamedOnce(dir: string, zones: string[], names: string[]): Promise<Named> {
  const [port, stats] = await freePorts();
  writeFileSync(join(dir, "named.conf"), `options { directory "${dir}"; pid-file "${dir}/named.pid"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; notify no; };
controls { };
statistics-channels { inet 127.0.0.1 port ${stats} allow { 127.0.0.1; }; };
${zones.join("\n")}
`);
  const proc = spawn("named", ["-g", "-c", join(dir, "named.conf"), ...(process.getuid?.() === 0 ? ["-u", "root"] : [])], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout?.on("data", (d) => (log += d));
  proc.stderr?.on("data", (d) => (log += d));
  try {
    for (let i = 0; !/running/.test(log); i++) {
      if (i > 300 || proc.exitCode !== null) throw new Error(`named did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const name of names) {
      for (let i = 0; ; i++) {
        const r = await queryRrset(`127.0.0.1:${port}`, name, "SOA", 1000).catch(() => undefined);
        if (r?.rcode === "NOERROR" && r.values.length > 0) break;
        if (i > 100) throw new Error(`named did not serve ${name}:\n${log}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    return { proc, port, stats };
  } catch (e) {
    proc.kill("SIGKILL");
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once("exit", r)));
    throw e;
  }
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
  const zones = writeZones(dir, domains);
  const named = await startNamed(dir, zones.conf, zones.names).catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const { proc, port, stats } = named;
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
    await stopNamed(proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stop named and wait until it has exited: while it shuts down it still writes
 * into its directory, which removing the directory under it then fails on
 * (ENOTEMPTY).
 */
async function stopNamed(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
  clearTimeout(timer);
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGKILL");
    await exited;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

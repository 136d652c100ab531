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
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyAll } from "../cli/verify";
import { presentTxt } from "../lib/txt";
import { BindServer, BindZone, haveBind, startBind } from "../test/helpers/bind";

const domains = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);
const concurrency = process.argv[4] ?? "32";

const txt = (value: string) => `TXT ${presentTxt(value)}`;

/** The zone files, written into `dir`. */
function writeZones(dir: string, n: number): BindZone[] {
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
    return { name, file: join(dir, `${name}.zone`) };
  });
}

/** Queries BIND has received so far (all opcodes QUERY), from its JSON statistics. */
async function queriesReceived(statsPort: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${statsPort}/json/v1/server`);
  const body = (await res.json()) as { opcodes?: Record<string, number> };
  return body.opcodes?.QUERY ?? 0;
}

async function main(): Promise<void> {
  if (!haveBind()) {
    console.log(JSON.stringify({ skipped: "BIND (named) is not installed" }));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "maildns-bench-verify-"));
  let bind: BindServer | undefined;
  try {
    bind = await startBind(writeZones(dir, domains), { statistics: true });
    const { port } = bind;
    const stats = bind.statisticsPort as number;
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
    await bind?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

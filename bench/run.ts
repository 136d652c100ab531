/**
 * `npm run bench`: the stack program for 10, 100 and 1,000 domains under
 * Pulumi mocks, on Cloudflare and Route 53, against bare registration of the
 * same provider resources without maildns; then `maildns verify` of 1,000
 * domains against a local BIND (bench/verify-live.ts); `maildns review` of a
 * 1,000-domain plan (bench/review.ts, `BENCH_REVIEW_DOMAINS`); then the real engine
 * (bench/engine.ts, `BENCH_ENGINE_SIZES`, `BENCH_ENGINE_RUNS`). Each figure comes from a fresh
 * process, so peak memory is that run's alone.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

interface Row { mode: string; provider: string; domains: number; resources: number; wallMs: number; peakRssMiB: number }

const sizes = (process.env.BENCH_SIZES ?? "10,100,1000").split(",").map(Number);
const rows: Row[] = [];
for (const provider of ["cloudflare", "route53"]) {
  for (const n of sizes) {
    for (const mode of ["maildns", "bare"]) {
      const out = execFileSync(process.execPath, [join(__dirname, "stack-under-mocks.js"), mode, provider, String(n)], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
      rows.push(JSON.parse(out.trim().split("\n").pop() as string) as Row);
    }
  }
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
console.log(`${"provider".padEnd(11)}${pad("domains", 8)}${pad("maildns ms", 12)}${pad("bare ms", 10)}${pad("ratio", 7)}${pad("maildns MiB", 13)}${pad("bare MiB", 10)}${pad("res/domain", 12)}${pad("bare res/d", 12)}`);
for (const provider of ["cloudflare", "route53"]) {
  for (const n of sizes) {
    const m = rows.find((r) => r.provider === provider && r.domains === n && r.mode === "maildns") as Row;
    const b = rows.find((r) => r.provider === provider && r.domains === n && r.mode === "bare") as Row;
    console.log(
      `${provider.padEnd(11)}${pad(n, 8)}${pad(m.wallMs, 12)}${pad(b.wallMs, 10)}${pad((m.wallMs / Math.max(b.wallMs, 1)).toFixed(2), 7)}${pad(m.peakRssMiB, 13)}${pad(b.peakRssMiB, 10)}${pad((m.resources / n).toFixed(1), 12)}${pad((b.resources / n).toFixed(1), 12)}`,
    );
  }
}
console.log("\nres/domain counts every registered resource: the DKIM key pair (maildns) and the DNS records (one per value on Cloudflare, one per RRset on Route 53); no component.");

// maildns verify of many domains against a local BIND (real DNS on loopback).
const verifyDomains = process.env.BENCH_VERIFY_DOMAINS ?? "1000";
const verifyOut = execFileSync(process.execPath, [join(__dirname, "verify-live.js"), verifyDomains, "3", "32"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
const last = JSON.parse(verifyOut.trim().split("\n").pop() as string) as { summary?: Record<string, number>; skipped?: string };
if (last.skipped) console.log(`\nmaildns verify bench skipped: ${last.skipped}`);
else {
  const s = last.summary as Record<string, number>;
  console.log(`\nmaildns verify, ${s.domains} domains from one process against a local BIND (median of ${s.runs}, ${s.concurrency} at once):`);
  console.log(`  wall ${s.medianWallMs} ms, ${s.questions} distinct DNS questions (${s.questionsPerDomain} per domain), ${s.queries} queries received by BIND, peak RSS ${s.peakRssMiB} MiB, ${s.errors} errors`);
}

// maildns review of a large plan (≈10,000 steps).
const reviewDomains = process.env.BENCH_REVIEW_DOMAINS ?? "1000";
execFileSync(process.execPath, [join(__dirname, "review.js"), reviewDomains, "3"], { stdio: ["ignore", "inherit", "inherit"] });

// The real engine on the local layout: maildns against a bare program, and the fleet layout.
let pulumiPath = process.env.PATH ?? "";
try {
  execFileSync("pulumi", ["version"], { stdio: "ignore" });
} catch {
  try {
    pulumiPath = `${execFileSync("bash", [join(__dirname, "../../scripts/pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim()}:${pulumiPath}`;
  } catch {
    console.log("\nreal-engine bench skipped: no Pulumi CLI (scripts/pulumi-cli.sh failed)");
  }
}
const engineSizes = process.env.BENCH_ENGINE_SIZES ?? "10,100,1000";
const engineRuns = process.env.BENCH_ENGINE_RUNS ?? "3";
const fleetDomains = process.env.BENCH_FLEET_DOMAINS ?? "1000";
execFileSync(process.execPath, [join(__dirname, "engine.js"), engineSizes, engineRuns, fleetDomains], { stdio: "inherit", env: { ...process.env, PATH: pulumiPath } });

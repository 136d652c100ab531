/**
 * `maildns review` of a large plan: N mail domains on Cloudflare (one
 * resource per value, as the adapter registers them: 10 per domain), every
 * domain with an SPF change, as one `pulumi preview --json --show-sames`
 * document. Each run is a fresh process (`review-run`), so its peak memory
 * is its own. Usage: node dist/bench/review.js [domains] [runs]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const KEY = `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${"x".repeat(342)}IDAQAB`;

function previewOf(domains: number): unknown {
  const steps: unknown[] = [];
  const rec = (d: string, name: string, type: string, content: string, extra: Record<string, unknown> = {}) => ({
    urn: `urn:pulumi:bench::maildns::maildns:index:MailDomain$cloudflare:index/dnsRecord:DnsRecord::${d}-${type.toLowerCase()}-${name}-${content.length}`,
    type: "cloudflare:index/dnsRecord:DnsRecord",
    inputs: { zoneId: `zone-${d}`, name, type, ttl: 3600, content, proxied: false, ...extra },
  });
  for (let i = 0; i < domains; i++) {
    const d = `d${i}.example.com`;
    const ip = `10.${(i >> 8) & 255}.${i & 255}`;
    const same = [
      rec(d, `mx1.${d}`, "A", `${ip}.1`), rec(d, `mx2.${d}`, "A", `${ip}.2`), rec(d, `mx1.${d}`, "AAAA", `2001:db8:${i.toString(16)}::1`),
      rec(d, d, "MX", `mx1.${d}`, { priority: 10 }), rec(d, d, "MX", `mx2.${d}`, { priority: 20 }),
      rec(d, d, "TXT", '"site-verification=bench"'),
      rec(d, `s2026._domainkey.${d}`, "TXT", `"v=DKIM1; k=rsa; p=${KEY.slice(0, 237)}" "${KEY.slice(237)}"`),
      rec(d, `_dmarc.${d}`, "TXT", `"v=DMARC1; p=reject; rua=mailto:dmarc@${d}"`),
      rec(d, `${i & 255}.${(i >> 8) & 255}.10.in-addr.arpa`, "PTR", `mx1.${d}`),
    ];
    for (const s of same) steps.push({ op: "same", urn: s.urn, oldState: s, newState: s });
    const spfOld = rec(d, d, "TXT", `"v=spf1 ip4:${ip}.1 ip4:${ip}.2 include:_spf.mailer.example -all"`);
    const spfNew = { ...spfOld, inputs: { ...spfOld.inputs, content: `"v=spf1 ip4:${ip}.1 ip4:${ip}.2 -all"` } };
    steps.push({ op: "update", urn: spfOld.urn, oldState: spfOld, newState: spfNew });
  }
  return { steps, changeSummary: { same: domains * 9, update: domains } };
}

if (process.argv[2] === "review-run") {
  // One measured run: read, analyse and format, as `maildns review` does.
  void (async () => {
    const { review } = await import("../cli/review");
    const t0 = process.hrtime.bigint();
    const r = await review(process.argv[3] as string, { format: "markdown" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify({ ms: Math.round(ms), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), domains: r.review.domains.length, chars: r.output.length, exitCode: r.exitCode }));
  })();
} else {
  const domains = Number(process.argv[2] ?? 1000);
  const runs = Number(process.argv[3] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "maildns-bench-review-"));
  const file = join(dir, "preview.json");
  const doc = previewOf(domains) as { steps: unknown[] };
  writeFileSync(file, JSON.stringify(doc));
  const results = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, [__filename, "review-run", file], { encoding: "utf8", maxBuffer: 1 << 26 }).trim()) as { ms: number; peakRssMiB: number; domains: number; chars: number; exitCode: number });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const summary = { domains, steps: doc.steps.length, fileMiB: +(statSync(file).size / 2 ** 20).toFixed(1), runs, medianMs: median(results.map((r) => r.ms)), medianPeakRssMiB: median(results.map((r) => r.peakRssMiB)), reviewedDomains: results[0]?.domains, markdownChars: results[0]?.chars, exitCode: results[0]?.exitCode };
  rmSync(dir, { recursive: true, force: true });
  console.log(`\nmaildns review of a ${summary.domains}-domain Cloudflare preview (${summary.steps} steps, ${summary.fileMiB} MiB; median of ${runs}): ${summary.medianMs} ms, peak RSS ${summary.medianPeakRssMiB} MiB; ${summary.reviewedDomains} domains reviewed, Markdown ${summary.markdownChars} characters (limit 65,536), exit ${summary.exitCode}`);
  console.log(JSON.stringify({ summary }));
}

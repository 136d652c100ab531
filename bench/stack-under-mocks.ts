/**
 * One benchmark run in its own process: evaluate the stack program for N
 * domains under Pulumi mocks (or register the same provider resources bare,
 * without maildns) and print one JSON line with wall time, peak RSS and the
 * resources registered.
 */
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

const [mode, provider, countArg] = process.argv.slice(2) as ["maildns" | "bare", "cloudflare" | "route53", string];
const count = Number(countArg);
// One real 2048-bit public key stands in for every generated key.
const FIXED_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
let registered = 0;

void pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered++;
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type.includes("DkimKeyPair")) Object.assign(state, { publicKey: FIXED_KEY, privateKeyPem: "-----BEGIN PRIVATE KEY-----\\nmock\\n-----END PRIVATE KEY-----\\n", createdAt: "2026-01-01T00:00:00Z" });
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      return args.token.includes("route53") ? { zoneId: "Z1", name: args.inputs.name } : { id: "cf1" };
    },
  },
  "bench",
  "bench",
  false,
);

function domains(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    domain: `d${i}.example`,
    mailHosts: [
      { name: "mx1", ipv4: [`10.${(i >> 8) & 255}.${i & 255}.1`], ipv6: [`2001:db8:${i.toString(16)}::1`] },
      { name: "mx2", ipv4: [`10.${(i >> 8) & 255}.${i & 255}.2`] },
    ],
    spf: { include: ["_spf.mailer.example"] },
    dkim: [{ selector: "s1" }],
    dmarc: { p: "reject" as const, rua: [`dmarc@d${i}.example`] },
  }));
}

async function settle(): Promise<void> {
  let last = -1;
  while (last !== registered) {
    last = registered;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  if (mode === "maildns") {
    const { runStack } = await import("../stack/program");
    const { parseStackConfig } = await import("../stack/schema");
    runStack(parseStackConfig({ dns: { provider } }, domains(count)));
  } else if (provider === "cloudflare") {
    const cf = await import("@pulumi/cloudflare");
    for (const d of domains(count)) {
      const rec = (n: string, type: string, content: string, priority?: number) =>
        new cf.DnsRecord(`${d.domain}-${type}-${n}-${content.slice(0, 12)}`, { zoneId: "cf1", name: n, type, content, ttl: 3600, proxied: false, priority });
      rec(`mx1.${d.domain}`, "A", d.mailHosts[0]!.ipv4[0]!);
      rec(`mx1.${d.domain}`, "AAAA", d.mailHosts[0]!.ipv6![0]!);
      rec(`mx2.${d.domain}`, "A", d.mailHosts[1]!.ipv4[0]!);
      rec(d.domain, "MX", `mx1.${d.domain}`, 10);
      rec(d.domain, "MX", `mx2.${d.domain}`, 20);
      rec(d.domain, "TXT", `"v=spf1 ip4:x include:_spf.mailer.example -all"`);
      rec(`s1._domainkey.${d.domain}`, "TXT", `"v=DKIM1; k=rsa; p=${FIXED_KEY.slice(0, 200)}" "${FIXED_KEY.slice(200)}"`);
      rec(`_dmarc.${d.domain}`, "TXT", `"v=DMARC1; p=reject; rua=mailto:dmarc@${d.domain}"`);
    }
  } else {
    const aws = await import("@pulumi/aws");
    for (const d of domains(count)) {
      const rec = (n: string, type: string, records: string[]) =>
        new aws.route53.Record(`${d.domain}-${type}-${n}`, { zoneId: "Z1", name: n, type, ttl: 3600, records, allowOverwrite: false });
      rec(`mx1.${d.domain}`, "A", d.mailHosts[0]!.ipv4[0]!.split(","));
      rec(`mx1.${d.domain}`, "AAAA", [d.mailHosts[0]!.ipv6![0]!]);
      rec(`mx2.${d.domain}`, "A", [d.mailHosts[1]!.ipv4[0]!]);
      rec(d.domain, "MX", [`10 mx1.${d.domain}.`, `20 mx2.${d.domain}.`]);
      rec(d.domain, "TXT", ["v=spf1 ip4:x include:_spf.mailer.example -all"]);
      rec(`s1._domainkey.${d.domain}`, "TXT", [`v=DKIM1; k=rsa; p=${FIXED_KEY}`]);
      rec(`_dmarc.${d.domain}`, "TXT", [`v=DMARC1; p=reject; rua=mailto:dmarc@${d.domain}`]);
    }
  }
  await settle();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6 - 20; // minus the final idle tick of settle()
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, provider, domains: count, resources: registered, wallMs: Math.round(wallMs), peakRssMiB: Math.round(peakRssMiB) })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

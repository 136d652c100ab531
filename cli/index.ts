#!/usr/bin/env node
import { Command, Option } from "commander";
import { MailDnsError } from "../lib/errors";
import { formatLint, lint } from "./lint";
import { formatReport, verify } from "./verify";

const program = new Command();
program.name("maildns").description("Check the DNS of mail domains against the RFCs (the same rules as the maildns components and policy pack).");

program
  .command("verify")
  .description("query live DNS for <domain> and run every rule on the answers; exits 1 on any error finding")
  .argument("<domain>", "the mail domain, e.g. example.com")
  .option("-s, --server <host:port>", "ask this DNS server (e.g. 127.0.0.1:5353) instead of the system resolver")
  .option("-e, --expect <file>", "stack outputs (pulumi stack output --json): live records must equal the declared ones; DKIM selectors are taken from it")
  .option("--selector <name...>", "DKIM selectors to check")
  .option("--disable <rule-id...>", "rule ids to skip")
  .addOption(new Option("-t, --timeout <ms>", "per-query timeout in milliseconds").default("3000"))
  .option("--json", "print the report as JSON")
  .addHelpText("after", "\nExamples:\n  maildns verify example.com --server 127.0.0.1:5353 --selector s2026\n  pulumi stack output --json > out.json && maildns verify example.com --expect out.json")
  .action(async (domain: string, opts) => {
    const report = await verify(domain, opts);
    process.stdout.write(`${opts.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
    process.exitCode = report.errors > 0 ? 1 : 0;
  });

program
  .command("lint")
  .description("run the policy pack on a `pulumi preview --json` output or a `pulumi stack export` file; exits 1 on a mandatory violation")
  .argument("<file>", "preview JSON or stack export")
  .option("-c, --config <file>", "policy pack config (JSON, as for --policy-pack-config)")
  .option("--dns-server <host:port...>", "DNS servers for expanding SPF includes")
  .option("--offline", "do not query DNS: includes outside the stack are reported as not verified")
  .option("--json", "print the violations as JSON")
  .addHelpText("after", "\nExamples:\n  pulumi preview --json > preview.json && maildns lint preview.json\n  pulumi stack export > state.json && maildns lint state.json --offline")
  .action(async (file: string, opts) => {
    const r = await lint(file, opts);
    process.stdout.write(`${opts.json ? JSON.stringify(r, null, 2) : formatLint(file, r)}\n`);
    process.exitCode = r.mandatory > 0 ? 1 : 0;
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof MailDnsError) {
    process.stderr.write(`maildns: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  throw e;
});

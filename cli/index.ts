#!/usr/bin/env node
import { Command, Option } from "commander";
import { MailDnsError } from "../lib/errors";
import { formatLint, lint } from "./lint";
import { checkArguments, declaredDomains, formatReport, verifyAll } from "./verify";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

const program = new Command();
program.name("maildns").version(version).description("Check the DNS of mail domains against the RFCs (the same rules as the maildns components and policy pack).");

program
  .command("verify")
  .description("query live DNS for each domain and run every rule on the answers; exit 0 clean, 1 on any error finding, 2 on bad arguments or when nothing could be checked")
  .argument("[domains...]", "mail domains, e.g. example.com")
  .option("-s, --server <host:port>", "ask this DNS server (e.g. 127.0.0.1:5353) instead of the system resolver")
  .option("--stack-outputs <file>", "stack outputs (pulumi stack output --json): verify every domain the stack declared, each against its declared records")
  .option("-e, --expect <file>", "stack outputs (pulumi stack output --json): live records must equal the declared ones; DKIM selectors are taken from it")
  .option("--selector <name...>", "DKIM selectors to check")
  .option("--dnsbl <zone...>", "DNS blocklist zones to look each mail host's address up in (RFC 5782); off by default: public lists have usage terms")
  .option("--disable <rule-id...>", "rule ids to skip")
  .option("--ca-file <pem>", "trust these CA certificates (PEM) for MTA-STS policy hosts instead of Node's bundle (a private PKI, tests)")
  .option("--https-port <port>", "port of the MTA-STS policy hosts (default 443; for staging and tests)")
  .option("--tlsa-cert <pem...>", "certificate files (PEM; a chain file starts with the server's) the MX hosts present: their TLSA records must match one (DANE, RFC 7672)")
  .addOption(new Option("-t, --timeout <ms>", "per-query timeout in milliseconds").default("3000"))
  .addOption(new Option("--concurrency <n>", "domains checked at once").default("32"))
  .option("--json", "print one JSON document for all domains")
  .addHelpText("after", "\nExamples:\n  maildns verify example.com --server 127.0.0.1:5353 --selector s2026\n  pulumi stack output --json > out.json && maildns verify --stack-outputs out.json\n  maildns verify example.com --dnsbl bl.example.net\n  maildns verify example.com --tlsa-cert /etc/postfix/cert.pem")
  .action(async (domains: string[], opts) => {
    const declared = opts.stackOutputs ? declaredDomains(opts.stackOutputs) : [];
    const expect = opts.stackOutputs ?? opts.expect;
    const list = checkArguments([...domains, ...declared], { ...opts, expect });
    const run = await verifyAll(list, { ...opts, expect });
    if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    else process.stdout.write(`${run.reports.map(formatReport).join("\n\n")}\n`);
    if (run.reports.every((r) => !r.checked)) {
      throw new MailDnsError("dns", `nothing could be checked: ${opts.server ?? "the system resolver"} answered no question about ${list.join(", ")} (${run.reports[0]?.findings[0]?.message ?? ""})`, { field: "--server", value: opts.server ?? "system" });
    }
    process.exitCode = run.errors > 0 ? 1 : 0;
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

program
  .command("review")
  .description("a mail-aware summary of a plan for pull requests: record changes per mail domain, what they do to mail (also midway through the update), policy violations, a verdict; exit 0 safe, 1 breaks mail or a mandatory violation, 2 bad input, 3 mass deletion")
  .argument("<preview>", "the output of `pulumi preview --json --show-sames`")
  .addOption(new Option("-f, --format <format>", "markdown, text or json").default("markdown"))
  .addOption(new Option("--max-chars <n>", "Markdown size limit; whole domains are left out (with a note) to fit").default("65536"))
  .addOption(new Option("--max-delete-share <p>", "largest share of a domain's mail records a plan may delete").default("0.3"))
  .option("--allow-mass-delete", "do not exit 3 when a plan deletes more than --max-delete-share")
  .option("--policy-config <file>", "policy pack config (JSON, as for --policy-pack-config) for the policies review runs on the planned state")
  .option("--no-policies", "do not judge the planned state with the policy pack's policies (`pulumi preview --json` leaves the pack's own verdicts out)")
  .addHelpText("after", "\nExample:\n  pulumi preview --json --show-sames > preview.json\n  maildns review preview.json > review.md")
  .action(async (file: string, opts) => {
    const { review } = await import("./review");
    const r = await review(file, opts);
    process.stdout.write(`${r.output}\n`);
    process.exitCode = r.exitCode;
  });

program
  .command("dkim-keys")
  .description("write the DKIM private keys the stack generated for the signer: PEM files, OpenDKIM KeyTable/SigningTable, or rspamd dkim_signing.conf; keys are files of mode 0600 in directories of mode 0700")
  .addOption(new Option("-f, --format <format>", "pem, opendkim or rspamd").default("pem"))
  .option("-o, --out <dir>", "directory to write to")
  .option("-s, --stack <stack>", "the stack (default: the selected one)")
  .option("--cwd <dir>", "the Pulumi project directory (default: the current one)")
  .option("-d, --domain <domain...>", "only these mail domains")
  .option("--force", "replace files that hold something else (a different key)")
  .option("--stdout", "print the keys to stdout (with --out, as well as writing them)")
  .addHelpText("after", "\nExamples:\n  maildns dkim-keys --format opendkim --out /etc/opendkim\n  maildns dkim-keys --stack prod --domain example.com --format rspamd --out /var/lib/rspamd/dkim")
  .action(async (opts) => {
    const { dkimKeys } = await import("./dkim-keys");
    const r = dkimKeys(opts);
    if (r.stdout) process.stdout.write(r.stdout);
    for (const k of r.keys) process.stderr.write(`${k.selector}._domainkey.${k.domain}${k.live ? "" : " (retired: kept for roll-back, not signing)"}\n`);
    if (opts.out) process.stderr.write(r.written.length ? `wrote ${r.written.length} file(s) under ${opts.out}\n` : `${opts.out} is up to date\n`);
  });

program
  .command("migrate-state")
  .description("move each DKIM key of a zone-file or RFC 2136 domain from its DkimKeyPair resource into the zone resource that publishes it (the layout of this version: one resource per domain); keys and records stay the same, and `pulumi up` then finds nothing to change")
  .option("-s, --stack <stack>", "the stack (default: the selected one)")
  .option("--cwd <dir>", "the Pulumi project directory (default: the current one)")
  .option("--dry-run", "print what would move; change nothing")
  .option("--backup <file>", "where to keep the stack export taken before the change (secrets stay encrypted in it)")
  .addHelpText("after", "\nExample:\n  maildns migrate-state --stack prod --dry-run\n  maildns migrate-state --stack prod && pulumi up --stack prod")
  .action(async (opts) => {
    const { migrateState } = await import("./migrate-state");
    const r = migrateState({ stack: opts.stack, cwd: opts.cwd, dryRun: opts.dryRun, backup: opts.backup });
    for (const m of r.moves) process.stdout.write(`${opts.dryRun ? "would move" : "moved"} DKIM key ${m.selector}: ${m.key} -> ${m.into}\n`);
    for (const k of r.kept) process.stdout.write(`kept ${k.key}: ${k.why}\n`);
    if (r.moves.length === 0) process.stdout.write("nothing to move: no DKIM key of a zone-file or RFC 2136 domain is a resource of its own\n");
    else if (r.backup) process.stdout.write(`the state before the move is in ${r.backup}; run \`pulumi up\` next (it changes nothing)\n`);
  });

program
  .command("fleet")
  .description("one stack per group of a domains file (maildns:domainsFile, each domain with a `group`), run through the Pulumi Automation API at most --parallel at once; exit 1 if a stack failed")
  .argument("<op>", "up or preview")
  .requiredOption("--domains-file <file>", "the domains file, relative to the project directory")
  .option("--dir <path>", "the Pulumi project directory (default: the current one)")
  .addOption(new Option("--parallel <n>", "stacks updated at once").default("2"))
  .option("--group <name...>", "only these groups")
  .option("--stack-prefix <prefix>", "stack name of a group is <prefix><group>", "fleet-")
  .addHelpText("after", "\nExample:\n  maildns fleet up --domains-file domains.yaml --parallel 2")
  .action(async (op: string, opts) => {
    if (op !== "up" && op !== "preview") throw new MailDnsError("invalid-config", "the operation is up or preview", { field: "op", value: op });
    if (!/^[0-9]+$/.test(opts.parallel)) throw new MailDnsError("invalid-config", "--parallel is a whole number of stacks", { field: "--parallel", value: opts.parallel });
    const { runFleet } = await import("../stack/fleet");
    const results = await runFleet(op, {
      workDir: opts.dir ?? process.cwd(), domainsFile: opts.domainsFile, parallel: Number(opts.parallel), groups: opts.group, stackPrefix: opts.stackPrefix,
    });
    for (const r of results) process.stdout.write(`${r.ok ? "ok  " : "FAIL"}  ${r.stack.padEnd(24)}  ${r.seconds.toFixed(1)} s  ${r.ok ? JSON.stringify(r.summary ?? {}) : r.error}\n`);
    process.exitCode = results.every((r) => r.ok) ? 0 : 1;
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof MailDnsError) {
    process.stderr.write(`maildns: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  throw e;
});

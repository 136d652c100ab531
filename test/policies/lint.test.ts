import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lint, resourcesOf } from "../../cli/lint";
import { MailDnsError } from "../../lib/errors";
import { UNKNOWN_SENTINEL } from "../../policies/resources";
import { CASES } from "./cases";
import { toResources } from "./providers";

const dir = mkdtempSync(join(tmpdir(), "maildns-lint-"));
const write = (name: string, data: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(data));
  return f;
};
const writeRaw = (name: string, content: string | Buffer) => {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
};
/** The error `fn` throws; fails when it returns. */
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, got none");
};
const asExport = (rs: ReturnType<typeof toResources>) => ({ version: 3, deployment: { resources: rs.map((r) => ({ urn: r.urn, type: r.type, inputs: r.props })) } });
const asPreview = (rs: ReturnType<typeof toResources>) => ({ steps: rs.map((r) => ({ op: "create", urn: r.urn, newState: { urn: r.urn, type: r.type, inputs: r.props } })) });

describe("maildns lint", () => {
  test("reads stack exports and preview JSON alike", () => {
    const rs = toResources("route53", CASES["mx-target-not-cname"]!.fail);
    expect(resourcesOf(write("a.json", asExport(rs))).map((r) => r.urn)).toEqual(rs.map((r) => r.urn));
    expect(resourcesOf(write("b.json", asPreview(rs))).map((r) => r.props)).toEqual(rs.map((r) => r.props));
  });

  test("gives the pack's verdicts: mandatory violations counted", async () => {
    const bad = await lint(write("bad.json", asPreview(toResources("zonefile", CASES["mx-target-not-cname"]!.fail))), { offline: true });
    expect(bad.mandatory).toBeGreaterThan(0);
    expect(bad.violations.map((v) => v.policy)).toContain("mx-target-not-cname");
    const good = await lint(write("good.json", asExport(toResources("zonefile", CASES["mx-target-not-cname"]!.pass))), { offline: true });
    expect(good).toEqual({ violations: [], mandatory: 0 });
  });

  test("values unknown during preview are a note, not a violation", async () => {
    const rs = toResources("route53", CASES["dkim-key-size"]!.pass).map((r) => (r.props.name === "s1._domainkey.example.com" ? { ...r, props: { ...r.props, records: [UNKNOWN_SENTINEL] } } : r));
    const r = await lint(write("unknown.json", asPreview(rs)), { offline: true });
    expect(r.mandatory).toBe(0);
    expect(r.violations.map((v) => `${v.policy} ${v.level}`)).toEqual(["maildns-notes note"]);
  });

  test("policy config: enforcement levels and thresholds", async () => {
    const file = write("p-none.json", asExport(toResources("rfc2136", CASES["dmarc-policy-none"]!.fail)));
    const cfg = write("cfg.json", { "dmarc-policy-none": "mandatory" });
    expect((await lint(file, { offline: true, config: cfg })).mandatory).toBe(1);
    const off = write("cfg-off.json", { all: "disabled" });
    expect((await lint(file, { offline: true, config: off })).violations).toEqual([]);
  });

  test("DNS that cannot be reached is an advisory could-not-verify, never a mandatory violation or a hang", async () => {
    // An include outside the stack, and a DNS server on a loopback port where none listens.
    const recs = CASES["spf-include-resolves"]!.pass.map((r) => (r.name === "example.com" && r.type === "TXT" ? { ...r, values: ["v=spf1 include:_spf.example.org -all"] } : r));
    const file = write("unreachable.json", asExport(toResources("route53", recs)));
    const started = Date.now();
    const r = await lint(file, { dnsServer: ["127.0.0.1:9"] });
    expect(Date.now() - started).toBeLessThan(20000);
    expect(r.mandatory).toBe(0);
    expect(r.violations.map((v) => `${v.policy} ${v.level}`)).toEqual(["maildns-notes advisory", "maildns-notes advisory"]);
    expect(r.violations[0]?.message).toMatch(/could not verify/);
  });

  test("bad files are clear errors", async () => {
    await expect(lint(join(dir, "missing.json"), {})).rejects.toThrow(MailDnsError);
    await expect(lint(write("other.json", { hello: 1 }), {})).rejects.toThrow(/not a `pulumi preview --json` output/);
  });

  test("a file that is not JSON, empty, or not there says so", () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ["text.json", "hello", /^the file cannot be parsed as JSON \(Unexpected token .*\), expected a `pulumi preview --json` output or a `pulumi stack export` file$/],
      ["truncated.json", '{"steps": [', /^the file cannot be parsed as JSON \(.+\), expected a `pulumi preview --json` output/],
      ["empty.json", "", /^the file is empty, expected a `pulumi preview --json` output or a `pulumi stack export` file$/],
      ["blank.json", " \n", /^the file is empty, expected/],
      ["binary.json", Buffer.from([0, 1, 2, 0xff, 0x80]), /^the file cannot be parsed as JSON \(.+\)/],
    ];
    for (const [name, content, reason] of cases) {
      const f = writeRaw(name, content);
      const e = thrown(() => resourcesOf(f));
      expect(e).toBeInstanceOf(MailDnsError);
      expect((e as MailDnsError).reason).toMatch(reason);
      expect((e as MailDnsError).reason).not.toMatch(/\n/);
    }
    const missing = join(dir, "missing.json");
    expect(thrown(() => resourcesOf(missing))).toMatchObject({ code: "invalid-config", field: "file", value: missing, reason: expect.stringMatching(/^cannot read the file: ENOENT/) });
    expect(thrown(() => resourcesOf(dir))).toMatchObject({ reason: expect.stringMatching(/^cannot read the file: EISDIR/) });
  });

  test("a byte order mark (UTF-8, or UTF-16LE as PowerShell writes) is read through", () => {
    const doc = JSON.stringify(asExport(toResources("route53", CASES["mx-target-not-cname"]!.fail)));
    const urns = resourcesOf(write("plain.json", JSON.parse(doc))).map((r) => r.urn);
    expect(resourcesOf(writeRaw("bom8.json", `\uFEFF${doc}`)).map((r) => r.urn)).toEqual(urns);
    expect(resourcesOf(writeRaw("bom16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, "utf16le")]))).map((r) => r.urn)).toEqual(urns);
  });

  const state = { type: "aws:route53/record:Record", urn: "urn:pulumi:dev::p::aws:route53/record:Record::mx", inputs: {} };
  const step = { op: "create", urn: state.urn, newState: state };
  const EXPECTED = "a `pulumi preview --json` output or a `pulumi stack export` file";
  /** What a real `pulumi preview --json` prints when the program throws (Pulumi 3.274). */
  const FAILED_PREVIEW = {
    steps: [{ op: "create", urn: "urn:pulumi:e2e::maildns::pulumi:pulumi:Stack::maildns-e2e", newState: { urn: "urn:pulumi:e2e::maildns::pulumi:pulumi:Stack::maildns-e2e", custom: false, type: "pulumi:pulumi:Stack" }, detailedDiff: null }],
    diagnostics: [{
      message: "error: Running program '/tmp/p/program.js' failed with an unhandled exception:\nError: boom: bad config\nsecond line\n    at Object.<anonymous> (/tmp/p/program.js:1:7)\n",
      severity: "error",
    }],
    duration: 27018900851,
    changeSummary: { create: 1 },
  };
  const MALFORMED: [string, unknown, string][] = [
    ["null", null, `the file holds null, expected a JSON object (${EXPECTED})`],
    ["an empty array", [], `the file holds an empty array, expected a JSON object (${EXPECTED})`],
    ["an array of steps", [step], `the file holds an array, expected a JSON object (${EXPECTED})`],
    ["a number", 42, `the file holds the number 42, expected a JSON object (${EXPECTED})`],
    ["a string", "x", `the file holds the string "x", expected a JSON object (${EXPECTED})`],
    ["a boolean", true, `the file holds the boolean true, expected a JSON object (${EXPECTED})`],
    ["an empty object", {}, 'not a `pulumi preview --json` output nor a `pulumi stack export` file: it has neither "steps" nor "deployment"'],
    ["steps a number", { steps: 3 }, "steps is the number 3, expected an array"],
    ["steps an object", { steps: { 0: step } }, "steps is an object, expected an array"],
    ["steps a long string", { steps: "x".repeat(100) }, `steps is the string "${"x".repeat(36)}..., expected an array`],
    ["a null step", { steps: [null] }, "steps[0] is null, expected an object"],
    ["a string step", { steps: [step, "create"] }, 'steps[1] is the string "create", expected an object'],
    ["an array step", { steps: [[step]] }, "steps[0] is an array, expected an object"],
    ["op a number", { steps: [{ ...step, op: 7 }] }, "steps[0].op is the number 7, expected a string"],
    ["newState a number", { steps: [{ newState: 5 }] }, "steps[0].newState is the number 5, expected an object"],
    ["newState null", { steps: [{ op: "create", newState: null }] }, "steps[0].newState is null, expected an object"],
    ["oldState a string", { steps: [{ op: "same", oldState: "s" }] }, 'steps[0].oldState is the string "s", expected an object'],
    ["a step with no state", { steps: [step, step, step, { op: "update", urn: "u" }] }, 'steps[3] (op "update") has neither newState nor oldState'],
    ["type a number", { steps: [{ newState: { type: 1, urn: "u" } }] }, "steps[0].newState.type is the number 1, expected a string"],
    ["no type", { steps: [{ op: "create", newState: { urn: "u" } }] }, "steps[0].newState.type is missing, expected a string"],
    ["urn missing", { steps: [{ op: "create", newState: { type: "t" } }] }, "steps[0].newState.urn is missing, expected a string"],
    ["urn an object", { steps: [{ op: "same", oldState: { type: "t", urn: {} } }] }, "steps[0].oldState.urn is an object, expected a string"],
    ["inputs an array", { steps: [step, { ...step, newState: { ...state, inputs: ["a"] } }] }, "steps[1].newState.inputs is an array, expected an object"],
    ["outputs null", { steps: [{ ...step, newState: { ...state, outputs: null } }] }, "steps[0].newState.outputs is null, expected an object"],
    ["no steps", { steps: [] }, "the preview has no resources (nothing to check)"],
    ["steps null", { steps: null, duration: 1 }, "the preview has no resources (nothing to check)"],
    ["only a summary", { duration: 1, changeSummary: {} }, "the preview has no resources (nothing to check)"],
    ["only warnings", { diagnostics: [{ message: "warning: deprecated", severity: "warning" }, { message: "hi", severity: "info" }] }, "the preview has no resources (nothing to check)"],
    ["a failed preview with no steps", { diagnostics: [{ urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", message: "error: maildns:domains[0].domain = \"x\": not a domain name\nmore\n", severity: "error" }] }, 'the preview failed: maildns:domains[0].domain = "x": not a domain name'],
    ["a failed preview with steps (real shape)", FAILED_PREVIEW, "the preview failed: Running program '/tmp/p/program.js' failed with an unhandled exception: Error: boom: bad config"],
    ["a failed preview with broken steps", { steps: 3, diagnostics: [{ severity: "info", message: "x" }, { severity: "error", message: "\u001b[31merror: \u001b[0mno\r\nmore" }] }, "the preview failed: no"],
    ["a failed preview with an empty message", { steps: [], diagnostics: [{ severity: "error", message: " \n" }] }, "the preview failed: diagnostics[0] has no message"],
    ["diagnostics a string", { steps: [step], diagnostics: "x" }, 'diagnostics is the string "x", expected an array'],
    ["a null diagnostic", { steps: [step], diagnostics: [null] }, "diagnostics[0] is null, expected an object"],
    ["severity a number", { steps: [step], diagnostics: [{ severity: 2 }] }, "diagnostics[0].severity is the number 2, expected a string"],
    ["an error message an array", { diagnostics: [{ severity: "error", message: [] }] }, "diagnostics[0].message is an empty array, expected a string"],
    ["deployment null", { deployment: null }, "deployment is null, expected an object"],
    ["deployment a string", { version: 3, deployment: "x" }, 'deployment is the string "x", expected an object'],
    ["resources an object", { deployment: { resources: {} } }, "deployment.resources is an object, expected an array"],
    ["resources a number", { deployment: { resources: 0 } }, "deployment.resources is the number 0, expected an array"],
    ["a null resource", { deployment: { resources: [null] } }, "deployment.resources[0] is null, expected an object"],
    ["a number resource", { deployment: { resources: [state, 1] } }, "deployment.resources[1] is the number 1, expected an object"],
    ["resource inputs an array", { deployment: { resources: [{ ...state, inputs: [] }] } }, "deployment.resources[0].inputs is an empty array, expected an object"],
    ["resource outputs a number", { deployment: { resources: [{ ...state, outputs: 3 }] } }, "deployment.resources[0].outputs is the number 3, expected an object"],
    ["resource urn a number", { deployment: { resources: [{ type: "t", urn: 5 }] } }, "deployment.resources[0].urn is the number 5, expected a string"],
    ["resource type null", { deployment: { resources: [{ urn: "u", type: null }] } }, "deployment.resources[0].type is null, expected a string"],
    ["an empty export", { version: 3, deployment: { manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "" } } }, "the stack export has no resources (nothing to check)"],
    ["an export with no resources", { version: 3, deployment: { manifest: {}, resources: [] } }, "the stack export has no resources (nothing to check)"],
    ["an export with resources null", { version: 3, deployment: { resources: null } }, "the stack export has no resources (nothing to check)"],
  ];

  test.each(MALFORMED)("%s: a clear error", async (name, data, reason) => {
    const file = write(`malformed-${name.replace(/\W+/g, "-")}.json`, data);
    const e = thrown(() => resourcesOf(file));
    expect(e).toBeInstanceOf(MailDnsError);
    expect(e).toMatchObject({ code: "invalid-config", field: "file", value: file, reason });
    expect((e as MailDnsError).message).toBe(`file = ${JSON.stringify(file)}: ${reason}`);
    await expect(lint(file, { offline: true })).rejects.toMatchObject({ reason });
  });

  test("steps that delete a resource are not read; a step without op keeps its resource", () => {
    const deleted = { op: "delete", urn: "u", oldState: 5 };
    expect(resourcesOf(write("deletes.json", { steps: [deleted, { op: "discard" }, { newState: state }] })).map((r) => r.urn)).toEqual([state.urn]);
  });

  test("a policy config that is not an object of policy settings is a clear error", async () => {
    const file = write("cfg-target.json", asExport(toResources("rfc2136", CASES["dmarc-policy-none"]!.fail)));
    const cases: [unknown, string][] = [
      [null, "the policy config is null, expected an object of policy names"],
      [[], "the policy config is an empty array, expected an object of policy names"],
      [{ "dmarc-policy-none": 5 }, 'the policy config\'s "dmarc-policy-none" is the number 5, expected an enforcement level or an object'],
      [{ all: null }, 'the policy config\'s "all" is null, expected an enforcement level or an object'],
      [{ "dmarc-policy-none": { enforcementLevel: "mandatry" } }, 'the policy config\'s "dmarc-policy-none" has enforcement level "mandatry"; it is advisory, mandatory, remediate, disabled'],
      [{ all: "Mandatory" }, 'the policy config\'s "all" has enforcement level "Mandatory"; it is advisory, mandatory, remediate, disabled'],
    ];
    for (const [data, reason] of cases) {
      const cfg = write("cfg-bad.json", data);
      await expect(lint(file, { offline: true, config: cfg })).rejects.toMatchObject({ code: "invalid-config", field: "--config", value: cfg, reason });
    }
    await expect(lint(file, { config: writeRaw("cfg-text.json", "nope") })).rejects.toMatchObject({ reason: expect.stringMatching(/^cannot read the policy config: Unexpected token/) });
  });

  // The built CLI (npm run build); skipped when dist/ is missing or older than this command's source.
  const cli = join(__dirname, "../../dist/cli/index.js");
  const built = join(__dirname, "../../dist/cli/lint.js");
  const fresh = existsSync(cli) && existsSync(built) && statSync(built).mtimeMs >= statSync(join(__dirname, "../../cli/lint.ts")).mtimeMs;
  if (!fresh) console.warn("skipping the maildns lint CLI tests: dist/cli is missing or older than cli/lint.ts (npm run build)");
  (fresh ? test : test.skip)("the CLI: a failed preview is `maildns: ... the preview failed: ...` on stderr, exit code 2", () => {
    const file = write("failed-preview.json", FAILED_PREVIEW);
    const r = spawnSync(process.execPath, [cli, "lint", file, "--offline"], { encoding: "utf8", timeout: 30000 });
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`maildns: file = ${JSON.stringify(file)}: the preview failed: Running program '/tmp/p/program.js' failed with an unhandled exception: Error: boom: bad config\n`);
    expect(r.status).toBe(2);
    const empty = spawnSync(process.execPath, [cli, "lint", write("empty-export.json", { version: 3, deployment: { manifest: {} } })], { encoding: "utf8", timeout: 30000 });
    expect(empty.stderr).toMatch(/^maildns: file = ".*": the stack export has no resources \(nothing to check\)\n$/);
    expect(empty.status).toBe(2);
  });
});

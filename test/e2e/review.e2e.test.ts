import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { e2eSuite, tempProject, TempProject } from "../helpers/pulumi";

/**
 * `maildns review` on plans made by the real CLI (`pulumi preview --json
 * --show-sames`) on the local stack, zone files and RFC 2136, compared with
 * golden Markdown in test/fixtures/review/<backend>/. The keys the stack
 * generates are swapped for fixed public keys in the preview before review
 * reads it, so the output is the same on every run. UPDATE_GOLDEN=1 rewrites
 * the golden files.
 */
const root = join(__dirname, "../..");
const cli = join(root, "dist/cli/index.js");
const FIXED_KEYS = (JSON.parse(readFileSync(join(root, "test/fixtures/review/public-keys.json"), "utf8")) as { keys: string[] }).keys;

interface Scenario {
  selectors?: string[];
  spfInclude?: string[];
  dmarcP?: string;
  mx2?: boolean;
  org?: boolean;
}

function domainsYaml(s: Scenario): string {
  const selectors = s.selectors ?? ["s2026"];
  return `    dkim:
${selectors.map((x) => `      - selector: ${x}`).join("\n")}
  maildns:domains:
    - domain: example.com
      mailHosts:
        - name: mx1
          ipv4: ["192.0.2.10"]
          ptr: true
${s.mx2 === false ? "" : `        - name: mx2
          ipv4: ["192.0.2.11"]
          ptr: true
`}      spf:
        include: [${(s.spfInclude ?? ["example.net"]).map((x) => `"${x}"`).join(", ")}]
      dmarc:
        p: ${s.dmarcP ?? "reject"}
        rua: ["dmarc@example.com"]
    - domain: example.net
      mailHosts:
        - name: mail
          ipv4: ["198.51.100.25"]
      dmarc:
        p: quarantine
${s.org === false ? "" : `    - domain: example.org
      mailHosts:
        - name: mail
          ipv4: ["203.0.113.25"]
      spf:
        include: ["example.net"]
      dmarc:
        p: reject
`}`;
}

/** The preview with every generated key replaced by a fixed one (whole, and split at 255 octets as zone files write it). */
function normalise(preview: string): string {
  const found = [...new Set(preview.match(/MIIBIjAN[A-Za-z0-9+/]{300,}={0,2}/g) ?? [])];
  let out = preview;
  found.forEach((key, i) => {
    const fixed = FIXED_KEYS[i];
    if (!fixed || fixed.length !== key.length) throw new Error(`no fixed key of ${key.length} characters for key ${i}`);
    out = out.split(key).join(fixed).split(key.slice(0, 237)).join(fixed.slice(0, 237)).split(key.slice(237)).join(fixed.slice(237));
  });
  return out;
}

function golden(backend: string, name: string, actual: string): void {
  const file = join(root, "test/fixtures/review", backend, `${name}.md`);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    mkdirSync(join(root, "test/fixtures/review", backend), { recursive: true });
    if (process.env.UPDATE_GOLDEN !== "1" && process.env.CI) throw new Error(`${file} is missing; run with UPDATE_GOLDEN=1`);
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}

for (const backend of ["zonefile", "rfc2136"] as const) {
  const { describe: run, bin } = e2eSuite(`the review e2e test (${backend})`, backend === "zonefile" || haveBind());

  run(`maildns review on real previews (${backend})`, () => {
    let p: TempProject;
    let server: BindServer | undefined;
    let n = 0;

    const dnsYaml = () =>
      backend === "zonefile"
        ? "      provider: zonefile\n      directory: zonefiles\n"
        : `      provider: rfc2136\n      server: "${server?.address}"\n      keyName: ${server?.key.name}\n`;
    const stackYaml = (s: Scenario, extra = "") => `config:\n  maildns:defaults:\n    dns:\n${dnsYaml()}    reverseZones:\n      - name: 2.0.192.in-addr.arpa\n${domainsYaml(s)}${extra}`;
    const setStack = (s: Scenario) => p.setStackFile(stackYaml(s));

    /** Preview `s` (JSON, with the unchanged resources), review it; the golden Markdown and the exit code. */
    /** Preview `s` (JSON, with the unchanged resources), review it; the golden Markdown and the exit code. */
    const review = (name: string, s: Scenario, opts: { args?: string[] } = {}) => {
      setStack(s);
      const preview = p.run(["preview", "--json", "--show-sames"], { allowFail: true });
      const file = join(p.dir, `preview-${++n}.json`);
      writeFileSync(file, normalise(preview.stdout));
      const r = spawnSync(process.execPath, [cli, "review", file, ...(opts.args ?? [])], { encoding: "utf8" });
      if (r.status === 2 || r.stderr) throw new Error(`review failed (${r.status}): ${r.stderr}\n${preview.stderr}`);
      golden(backend, name, r.stdout);
      return { status: r.status, stdout: r.stdout, preview: preview.stdout };
    };

    beforeAll(async () => {
      if (backend === "rfc2136") server = await startBind(["example.com", "example.net", "example.org", "2.0.192.in-addr.arpa"].map((name) => ({ name, dynamic: true })));
      p = tempProject(stackYaml({}), bin);
      if (server) {
        p.run(["config", "set", "--secret", "maildns:tsigSecret", server.key.secret]);
        expect(readFileSync(join(p.dir, "Pulumi.e2e.yaml"), "utf8")).toMatch(/^ {2}maildns:tsigSecret:\n {4}secure: /m);
      }
    }, 60000);
    afterAll(async () => server?.stop());

    test("first deploy: every record is a create, DKIM keys are known after the update; safe", () => {
      const r = review("first-deploy", {});
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("| create | example.com | MX |");
      expect(r.stdout).toContain("(known after the update)");
      p.run(["up", "--yes", "--skip-preview"]);
    });

    test("a plan too large for the limit leaves out whole domains with a note", () => {
      const r = review("truncated", { selectors: ["s2027"], spfInclude: [], dmarcP: "none" }, { args: ["--max-chars", "2500"] });
      expect(r.stdout.length).toBeLessThanOrEqual(2500);
      expect(r.stdout).toMatch(/mail domain\(s\) left out/);
    });

    test("safe DKIM rotation: a new selector beside the live one; exit 0", () => {
      const r = review("dkim-rotation", { selectors: ["s2026", "s2027"] });
      expect(r.stdout).toContain("dkim-rotation-step");
      expect(r.stdout).not.toContain("dkim-selector-removed");
      expect(r.status).toBe(0);
    });

    test("selector renamed while the signer still uses it: blocks mail; exit 1", () => {
      const r = review("dkim-renamed", { selectors: ["s2027"] });
      expect(r.stdout).toContain("**dkim-selector-removed** `s2026._domainkey.example.com TXT`");
      expect(r.status).toBe(1);
    });

    test("SPF that drops a sender: blocks mail; exit 1", () => {
      const r = review("spf-drops-sender", { spfInclude: [] });
      expect(r.stdout).toContain('**spf-sender-dropped** `example.com TXT`: "include:example.net" is no longer authorised');
      expect(r.stdout).toContain("SPF DNS lookups of the record's own terms (includes add theirs): 1 → 0");
      expect(r.status).toBe(1);
    });

    test("DMARC loosened: needs attention; exit 0", () => {
      const r = review("dmarc-loosened", { dmarcP: "none" });
      expect(r.stdout).toContain("**dmarc-weakened** `_dmarc.example.com TXT`: DMARC is weakened: p reject → none");
      expect(r.stdout).toContain("### ⚠️ example.com: needs attention");
      expect(r.status).toBe(0);
    });

    test("an MX host removed: its MX, address and PTR go, and SPF stops authorising it; exit 1", () => {
      const r = review("mx-removed", { mx2: false });
      expect(r.stdout).toContain("**mx-changed** `example.com MX`: MX 20 mx2.example.com. removed");
      expect(r.stdout).toContain("| delete | 11.2.0.192.in-addr.arpa | PTR |");
      // Its address leaves the SPF record with it: mail it still sends fails SPF.
      expect(r.stdout).toContain('**spf-sender-dropped** `example.com TXT`: "ip4:192.0.2.11" is no longer authorised');
      expect(r.status).toBe(1);
    });

    test("a domain removed from the config is a mass deletion: exit 3; with --allow-mass-delete a warning", () => {
      const r = review("mass-delete", { org: false });
      expect(r.stdout).toContain("**mass-delete** `example.org *`");
      expect(r.status).toBe(3);
      const file = join(p.dir, `preview-${n}.json`);
      const allowed = spawnSync(process.execPath, [cli, "review", file, "--allow-mass-delete"], { encoding: "utf8" });
      expect(allowed.stdout).toContain("allowed by --allow-mass-delete");
      expect(allowed.status).toBe(0);
    });

    test("a policy violation (the pack's policies on the planned state, with the team's pack config): blocks mail; exit 1", () => {
      const config = join(p.dir, "pack-config.json");
      writeFileSync(config, JSON.stringify({ "dmarc-policy-none": "mandatory" }));
      const r = review("policy-violation", { dmarcP: "none" }, { args: ["--policy-config", config] });
      expect(r.stdout).toContain("- mandatory **dmarc-policy-none**: _dmarc.example.com TXT:");
      expect(r.status).toBe(1);
    });

    test("no private key and no TSIG secret in any preview or review", () => {
      for (let i = 1; i <= n; i++) {
        const text = readFileSync(join(p.dir, `preview-${i}.json`), "utf8");
        expect(text).not.toMatch(/PRIVATE KEY/);
        if (server) expect(text).not.toContain(server.key.secret);
      }
    });
  });
}

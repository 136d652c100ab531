import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseZone } from "../../zones/zonefile-format";
import { publicKeyFromPrivatePem } from "../../lib/dkim";
import { haveBind } from "../helpers/bind";
import { e2eSuite, pulumiEnv, tempProject, TempProject } from "../helpers/pulumi";

/**
 * `pulumi up` killed with SIGKILL midway (the engine, the program and the
 * providers at once), then the next `pulumi up` — after `pulumi cancel` when
 * the backend still holds the killed update's lock — converges: every
 * declared record set is in its zone file exactly once, and a further up
 * changes nothing.
 */
const { describe: run, bin } = e2eSuite("the interrupted-update e2e test", haveBind());

const DOMAINS = Array.from({ length: 8 }, (_, i) => `    - domain: d${i}.example\n      mailHosts:\n        - name: mx1\n          ipv4: ["192.0.2.${10 + i}"]\n      dmarc: { p: reject }`).join("\n");
const STACK = `config:\n  maildns:defaults:\n    dns:\n      provider: zonefile\n    dkim:\n      - selector: s1\n  maildns:domains:\n${DOMAINS}\n`;

/** Starts `pulumi up` and kills it once `afterFiles` zone files exist; resolves with the signal that ended it (SIGKILL: it was still running). */
function upAndKill(p: TempProject, afterFiles: number, env: NodeJS.ProcessEnv = {}): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive"], { cwd: p.dir, env: { ...pulumiEnv(p.dir, bin), ...env }, detached: true, stdio: "ignore" });
    const started = Date.now();
    const timer = setInterval(() => {
      const written = Array.from({ length: 8 }, (_, i) => join(p.dir, "zonefiles", `d${i}.example.zone`)).filter((f) => existsSync(f)).length;
      if (written >= afterFiles || Date.now() - started > 120_000) {
        clearInterval(timer);
        try {
          process.kill(-(child.pid as number), "SIGKILL");
        } catch (e) {
          reject(e);
        }
      }
    }, 20);
    child.on("exit", (_code, signal) => {
      clearInterval(timer);
      resolve(signal);
    });
  });
}

/** The README's recovery: `pulumi cancel` for a lock left behind, scripts/recover-state.sh for a checkpoint cut short, then up. */
function converge(p: TempProject) {
  let up = p.run(["up", "--yes", "--skip-preview"], { allowFail: true });
  const steps: string[] = [];
  for (let i = 0; i < 4 && up.status !== 0; i++) {
    steps.push(`${up.stdout}\n${up.stderr}`.trim().split("\n").filter((l) => /error:/.test(l)).join(" | "));
    const out = up.stdout + up.stderr;
    if (/locked/i.test(out)) p.run(["cancel", "--yes"]);
    else if (/failed to load checkpoint/.test(out)) execFileSync("bash", [join(__dirname, "../../scripts/recover-state.sh"), "e2e"], { env: pulumiEnv(p.dir, bin), stdio: "pipe" });
    else break;
    up = p.run(["up", "--yes", "--skip-preview"], { allowFail: true });
  }
  // The errors met on the way, for the assertion messages.
  return { ...up, stderr: `${up.stderr}${up.status !== 0 ? `\n(errors on the way: ${steps.join(" ; ")})` : ""}` };
}

function expectEveryRecordOnce(p: TempProject) {
  const outputs = JSON.parse(p.run(["stack", "output", "--json"]).stdout) as { domains: Record<string, { records: { zone: string; name: string; type: string; values: string[] }[] }> };
  for (let i = 0; i < 8; i++) {
    const zone = `d${i}.example`;
    const parsed = parseZone(readFileSync(join(p.dir, "zonefiles", `${zone}.zone`), "utf8"));
    expect(parsed.kind).toBe("maildns");
    if (parsed.kind !== "maildns") continue;
    const inFile = parsed.model.rrsets.map((r) => `${r.owner === "@" ? zone : `${r.owner}.${zone}`} ${r.type}`);
    const declared = (outputs.domains[zone]?.records ?? []).map((r) => `${r.name} ${r.type}`);
    expect(inFile.sort()).toEqual(declared.sort());
    expect(new Set(inFile).size).toBe(inFile.length);
  }
  expect(p.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]).status).toBe(0);
}

run("an interrupted pulumi up converges", () => {
  test("SIGKILL midway, then up: every record once; then no changes", async () => {
    const p = tempProject(STACK, bin);
    // Killed while still running, and with work left undone: the next up has changes to make.
    expect(await upAndKill(p, 3)).toBe("SIGKILL");
    const up = converge(p);
    expect(up.stdout).toMatch(/\b\d+ (created|updated)\b/);
    if (process.env.MAILDNS_DEBUG) console.log(up.stdout + up.stderr);
    expect(up.stdout + up.stderr).not.toMatch(/error:/);
    expect(up.status).toBe(0);
    expectEveryRecordOnce(p);
  });

  test("SIGKILL while the backend writes its checkpoint: scripts/recover-state.sh, then up converges", async () => {
    const p = tempProject(STACK, bin);
    expect(await upAndKill(p, 3)).toBe("SIGKILL");
    // The kill landing inside the backend's checkpoint write leaves it cut short, as here.
    const checkpoint = join(p.dir, ".state/.pulumi/stacks/maildns/e2e.json");
    expect(existsSync(`${checkpoint}.bak`)).toBe(true);
    writeFileSync(checkpoint, readFileSync(checkpoint, "utf8").slice(0, 100));
    const up = converge(p);
    expect(up.stdout + up.stderr).not.toMatch(/error:/);
    expect(up.status).toBe(0);
    expect(existsSync(`${checkpoint}.damaged`)).toBe(true);
    expectEveryRecordOnce(p);
  });

  test("PULUMI_SKIP_CHECKPOINTS (the README's advice for a large first deployment), killed midway: the state keeps nothing of that run, the zone files stay, and the next up takes them over with keys that match", async () => {
    const p = tempProject(STACK, bin);
    expect(await upAndKill(p, 3, { PULUMI_SKIP_CHECKPOINTS: "true" })).toBe("SIGKILL");
    // Nothing was saved before the end: the state holds no resource of the killed run.
    expect(p.run(["stack", "export"]).stdout).not.toContain("DkimKeyPair");
    const left = Array.from({ length: 8 }, (_, i) => `d${i}.example.zone`).filter((f) => existsSync(join(p.dir, "zonefiles", f)));
    expect(left.length).toBeGreaterThanOrEqual(3);
    const up = converge(p);
    expect(up.stdout + up.stderr).not.toMatch(/error:/);
    expect(up.status).toBe(0);
    expectEveryRecordOnce(p);
    // The keys of the killed run were lost with its state (no signer had them); the records now publish the new ones.
    const out = JSON.parse(p.run(["stack", "output", "--json", "--show-secrets"]).stdout) as { domains: Record<string, { dkim: { selector: string; value: string }[]; dkimKeys: Record<string, string> }> };
    for (const d of Object.values(out.domains)) for (const k of d.dkim) expect(k.value).toContain(`p=${publicKeyFromPrivatePem(d.dkimKeys[k.selector] ?? "")}`);
  });

  test("the checkpoint's attributes file cut short (\"failed to load checkpoint: EOF\"): scripts/recover-state.sh moves it aside", () => {
    const p = tempProject(STACK, bin);
    p.run(["up", "--yes", "--skip-preview"]);
    const attrs = join(p.dir, ".state/.pulumi/stacks/maildns/e2e.json.attrs");
    writeFileSync(attrs, "");
    const broken = p.run(["preview"], { allowFail: true });
    expect(broken.stdout + broken.stderr).toMatch(/failed to load checkpoint: EOF/);
    const up = converge(p);
    expect(up.status).toBe(0);
    expect(existsSync(`${attrs}.damaged`)).toBe(true);
    expectEveryRecordOnce(p);
  });
});

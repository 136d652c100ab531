import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fakeProviderPlugins } from "../helpers/fake-provider";
import { e2eSuite, tempProject, TempProject } from "../helpers/pulumi";
import { PROGRAM_CASES, previewJson, programSource, Provider, ZONE_IDS, zonesSetting } from "../fixtures/programs";

/**
 * The real `pulumi preview --policy-pack policies` (the pack from its folder)
 * on Cloudflare and Route 53 programs written as the providers' docs write
 * them (test/fixtures/programs.ts): relative names, zone ids from Zone
 * resources and getZone, unquoted TXT. The provider plugins are pass-through
 * stand-ins (test/helpers/fake-provider.ts); the engine, the SDKs, the
 * language host and the pack are real. The preview JSON the engine writes is
 * the one the unit tests evaluate, and `maildns lint` on it agrees.
 */
const { describe: run, bin } = e2eSuite("the policy pack on provider programs", true);
const root = join(__dirname, "../..");
const cli = join(root, "dist/cli/index.js");
const PACK = join(root, "policies");

run.each(["cloudflare", "route53"] as const)("the policy pack on a %s program", (provider: Provider) => {
  const cases = PROGRAM_CASES.filter((c) => c.provider === provider);
  const failing = cases.filter((c) => c.subject);
  let p: TempProject;
  let cfg: string;
  let path: string | undefined;
  beforeAll(() => {
    zonesSetting(cases);
    path = process.env.PATH;
    process.env.PATH = `${fakeProviderPlugins(ZONE_IDS)}:${path}`;
    p = tempProject("config: {}\n", bin, { program: programSource(cases) });
    cfg = join(p.dir, "policy-config.json");
    const offline = { offline: true };
    writeFileSync(cfg, JSON.stringify({ "maildns-settings": { zones: zonesSetting(cases) }, "spf-include-resolves": offline, "spf-lookup-limit": offline, "spf-void-lookup-limit": offline, "spf-include-loop": offline, "spf-duplicate-include": offline, "spf-mx-ptr-name-limit": offline, "maildns-notes": offline }));
  });
  afterAll(() => {
    process.env.PATH = path;
  });

  test("the engine registers exactly the shapes the unit tests evaluate", () => {
    const real = JSON.parse(p.run(["preview", "--json"]).stdout) as { steps: { urn: string; newState: { type: string; inputs?: Record<string, unknown>; propertyDependencies?: Record<string, string[]> } }[] };
    const expected = previewJson(cases, "e2e", "maildns").steps as { urn: string; newState: { type: string; inputs?: Record<string, unknown>; propertyDependencies?: Record<string, string[]> } }[];
    for (const e of expected.slice(1)) {
      const got = real.steps.find((s) => s.urn === e.urn);
      expect([e.urn, got?.newState.type]).toEqual([e.urn, e.newState.type]);
      expect(got?.newState.inputs).toMatchObject(e.newState.inputs ?? {});
      expect(got?.newState.propertyDependencies?.zoneId ?? []).toEqual(e.newState.propertyDependencies?.zoneId ?? []);
    }
  });

  test("pulumi preview --policy-pack policies fails with each rule on the record it is about", () => {
    const r = p.run(["preview", "--policy-pack", PACK, "--policy-pack-config", cfg], { allowFail: true });
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    for (const c of failing) {
      expect([c.id, out.includes(`[mandatory]  ${c.rule}`) || new RegExp(`mandatory\\]\\s+${c.rule}`).test(out)]).toEqual([c.id, true]);
      expect([c.id, out.includes(`${c.subject}:`)]).toEqual([c.id, true]);
    }
    expect(out).not.toMatch(/a name relative to its zone/);
  });

  test("maildns lint on the engine's preview JSON gives the same verdicts", () => {
    const json = p.run(["preview", "--json"]);
    writeFileSync(join(p.dir, "preview.json"), json.stdout);
    const lint = spawnSync(process.execPath, [cli, "lint", join(p.dir, "preview.json"), "--config", cfg, "--json"], { encoding: "utf8" });
    expect(lint.status).toBe(1);
    const report = JSON.parse(lint.stdout) as { violations: { policy: string; subject?: string; level: string }[] };
    for (const c of failing) expect([c.id, report.violations.some((v) => v.policy === c.rule && v.subject === c.subject && v.level === "mandatory")]).toEqual([c.id, true]);
    expect(report.violations.filter((v) => v.level === "note")).toEqual([]);
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { haveBind } from "../helpers/bind";
import { e2eSuite, pulumiEnv, tempProject } from "../helpers/pulumi";

/**
 * `maildns fleet up`: one domains file, one stack per group, updated through
 * the Automation API at most --parallel at once; then a preview finds
 * nothing to change in any of them.
 */
const { describe: run, bin } = e2eSuite("the fleet e2e test", haveBind());
const cli = join(__dirname, "../../dist/cli/index.js");

const DOMAINS = `defaults:
  dns: { provider: zonefile }
  dkim: [{ selector: s1 }]
domains:
${[0, 1, 2, 3].map((i) => `  - domain: f${i}.example.com\n    group: g${i % 2}\n    mailHosts: [{ name: mx1, ipv4: ["192.0.2.${40 + i}"] }]\n    dmarc: { p: reject }`).join("\n")}
`;

run("maildns fleet", () => {
  test("two stacks from one domains file, two at once; each stack holds its group only", () => {
    const p = tempProject("config: {}\n", bin);
    writeFileSync(join(p.dir, "domains.yaml"), DOMAINS);
    const env = pulumiEnv(p.dir, bin);
    const up = spawnSync(process.execPath, [cli, "fleet", "up", "--domains-file", "domains.yaml", "--parallel", "2"], { cwd: p.dir, env, encoding: "utf8", timeout: 600_000 });
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);
    expect(up.stdout).toMatch(/^ok\s+fleet-g0\s/m);
    expect(up.stdout).toMatch(/^ok\s+fleet-g1\s/m);
    for (let i = 0; i < 4; i++) expect(existsSync(join(p.dir, "zonefiles", `f${i}.example.com.zone`))).toBe(true);
    const g0 = JSON.parse(p.run(["stack", "output", "--json", "--stack", "fleet-g0"]).stdout) as { domains: Record<string, unknown> };
    expect(Object.keys(g0.domains).sort()).toEqual(["f0.example.com", "f2.example.com"]);
    expect(readFileSync(join(p.dir, "Pulumi.fleet-g1.yaml"), "utf8")).toMatch(/maildns:domainsGroup: g1/);
    const preview = spawnSync(process.execPath, [cli, "fleet", "preview", "--domains-file", "domains.yaml"], { cwd: p.dir, env, encoding: "utf8", timeout: 600_000 });
    expect(preview.status).toBe(0);
    for (const line of preview.stdout.trim().split("\n")) expect(line).toMatch(/^ok\s+fleet-g[01]\s+[\d.]+ s\s+\{"same":\d+\}$/);
  }, 900_000);

  test("a failed stack says why (the program's error, naming the entry of the file); the others still run; the selected stack stays selected", () => {
    const p = tempProject("config: {}\n", bin);
    writeFileSync(join(p.dir, "domains.yaml"), DOMAINS.replace('ipv4: ["192.0.2.43"]', 'ipv4: ["192.0.2.333"]'));
    const env = pulumiEnv(p.dir, bin);
    const up = spawnSync(process.execPath, [cli, "fleet", "up", "--domains-file", "domains.yaml"], { cwd: p.dir, env, encoding: "utf8", timeout: 600_000 });
    expect(up.status).toBe(1);
    expect(up.stdout).toMatch(/^ok\s+fleet-g0\s/m);
    // f3.example.com is the file's domains[3] (the second entry of group g1).
    expect(up.stdout).toMatch(/^FAIL\s+fleet-g1\s+[\d.]+ s\s+error: domains\.yaml: domains\[3\]\.mailHosts\[0\]\.ipv4\[0\] = "192\.0\.2\.333": not an IPv4 address/m);
    expect(existsSync(join(p.dir, "zonefiles", "f1.example.com.zone"))).toBe(false);
    // tempProject's own stack, selected before the fleet ran.
    expect(p.run(["stack", "--show-name"]).stdout.trim()).toBe("e2e");
  }, 900_000);

  test("a bad group or operation is exit 2 with the argument named", () => {
    const p = tempProject("config: {}\n", bin);
    writeFileSync(join(p.dir, "domains.yaml"), DOMAINS);
    const env = pulumiEnv(p.dir, bin);
    const bad = spawnSync(process.execPath, [cli, "fleet", "up", "--domains-file", "domains.yaml", "--group", "g7"], { cwd: p.dir, env, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('maildns: --group = "g7": no domain of domains.yaml has this group; groups are g0, g1\n');
    const op = spawnSync(process.execPath, [cli, "fleet", "destroy", "--domains-file", "domains.yaml"], { cwd: p.dir, env, encoding: "utf8" });
    expect(op.status).toBe(2);
    expect(op.stderr).toBe('maildns: op = "destroy": the operation is up or preview\n');
  });
});

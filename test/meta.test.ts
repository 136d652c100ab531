import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { changeRules } from "../lib/changes/catalogue";
import { rules } from "../lib/rules";

/** The discipline that keeps the catalogue honest: one id = source + test + doc page. */
const root = join(__dirname, "..");
const ruleFiles = readdirSync(join(root, "lib/rules"))
  .filter((f) => f.endsWith(".ts") && !["index.ts", "rule.ts", "select.ts", "spf-facts.ts"].includes(f))
  .map((f) => f.replace(/\.ts$/, ""));

describe("rule catalogue", () => {
  test("ids are unique and kebab-case", () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test("every rule file is registered, and every registered rule has its own file", () => {
    expect([...rules.map((r) => r.id)].sort()).toEqual([...ruleFiles].sort());
  });

  test.each(rules.map((r) => [r.id, r] as const))("%s: id matches its file, has an RFC, a test and a doc page", async (id, rule) => {
    const mod = (await import(join(root, "lib/rules", id))) as { default: { id: string } };
    expect(mod.default.id).toBe(id);
    expect(rule.rfc.trim()).not.toBe("");
    expect(rule.summary.trim()).not.toBe("");
    expect(["error", "warning"]).toContain(rule.severity);
    const testFile = join(root, "test/lib/rules", `${id}.test.ts`);
    expect(existsSync(testFile)).toBe(true);
    expect(readFileSync(testFile, "utf8")).toContain(`"${id}"`);
    const doc = join(root, "docs/rules", `${id}.md`);
    expect(existsSync(doc)).toBe(true);
    const text = readFileSync(doc, "utf8");
    expect(text).toContain(`# ${id}`);
    expect(text).toContain(rule.rfc);
    expect(text).toContain(`**Default severity:** ${rule.severity}`);
    // What receivers do, in plain words, in the rule and on its page.
    expect(rule.consequence.trim().length).toBeGreaterThan(20);
    expect(text).toContain(`## What receivers do\n\n${rule.consequence[0]?.toUpperCase()}${rule.consequence.slice(1)}.`);
    expect(readFileSync(join(root, "docs/rules/README.md"), "utf8")).toContain(`[${id}](${id}.md)`);
  });
});

describe("change rule catalogue (maildns review)", () => {
  const sources = ["lib/changes/compare.ts", "cli/review/analyse.ts"].map((f) => readFileSync(join(root, f), "utf8"));

  test("ids are unique, kebab-case and distinct from the view rules' ids", () => {
    const ids = changeRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const viewIds = new Set(rules.map((r) => r.id));
    expect(ids.filter((id) => viewIds.has(id))).toEqual([]);
  });

  test.each(changeRules.map((r) => [r.id, r] as const))("%s: is used by the review and has a doc page", (id, rule) => {
    // No dead entry: the comparison or the review reports it.
    expect(sources.some((text) => text.includes(`"${id}"`))).toBe(true);
    expect(rule.rfc.trim()).not.toBe("");
    expect(rule.summary.trim()).not.toBe("");
    expect(["error", "warning", "info"]).toContain(rule.severity);
    const doc = join(root, "docs/rules", `${id}.md`);
    expect(existsSync(doc)).toBe(true);
    const text = readFileSync(doc, "utf8");
    expect(text.startsWith(`# ${id}\n`)).toBe(true);
    expect(text).toContain(`**Default severity:** ${rule.severity} · **Source:** ${rule.rfc}`);
    expect(rule.consequence.trim().length).toBeGreaterThan(20);
    expect(text).toContain(`## What receivers do\n\n${rule.consequence[0]?.toUpperCase()}${rule.consequence.slice(1)}.`);
    expect(readFileSync(join(root, "docs/rules/README.md"), "utf8")).toContain(`[${id}](${id}.md)`);
  });
});

describe("policy pack docs", () => {
  test("policies/README.md lists every rule with its RFC and default level", () => {
    const text = readFileSync(join(root, "policies/README.md"), "utf8");
    for (const r of rules) {
      expect(text).toContain(`[\`${r.id}\`](../docs/rules/${r.id}.md) | ${r.severity === "error" ? "mandatory" : "advisory"} | ${r.rfc} |`);
    }
  });
});

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";

/**
 * What `npm pack` would publish (`--dry-run`): the built library, CLI and
 * providers with their type definitions, README, CHANGELOG and LICENSE; no
 * tests, sources or benchmarks; every entry point of package.json inside.
 */
const root = join(__dirname, "../..");
const built = existsSync(join(root, "dist/components/index.js"));

(built ? describe : describe.skip)("the npm package", () => {
  const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "--loglevel=error"], { cwd: root, encoding: "utf8" })) as { files: { path: string }[] }[];
  const files = new Set((pack?.files ?? []).map((f) => f.path));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    main: string; types: string; bin: Record<string, string>; exports: Record<string, string | Record<string, string>>; scripts: Record<string, string>; version: string;
  };

  test("holds the library, CLI and providers with types, and the docs", () => {
    for (const f of ["package.json", "README.md", "CHANGELOG.md", "LICENSE", "dist/components/index.js", "dist/components/index.d.ts", "dist/lib/index.js", "dist/lib/index.d.ts", "dist/cli/index.js", "dist/zones/providers.js", "dist/zones/dynamic.js", "dist/policies/policies.js", "dist/policies/index.js", "policies/package.json", "policies/PulumiPolicy.yaml"]) {
      expect(files).toContain(f);
    }
  });

  test("holds no tests, TypeScript sources or benchmarks", () => {
    const stray = [...files].filter((f) => f.startsWith("test/") || f.startsWith("dist/test/") || f.startsWith("dist/bench/") || (/\.ts$/.test(f) && !f.endsWith(".d.ts")) || f.startsWith(".tools/") || f.startsWith("zonefiles/"));
    expect(stray).toEqual([]);
  });

  test("every relative link of its Markdown files leads to a file in the package", () => {
    const dead: string[] = [];
    for (const md of [...files].filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(root, md), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const path = (target as string).split("#")[0] as string;
        if (path === "" || /^[a-z]+:/i.test(path)) continue;
        const resolved = posix.normalize(posix.join(posix.dirname(md), path)).replace(/\/$/, "");
        if (!files.has(resolved) && ![...files].some((f) => f.startsWith(`${resolved}/`))) dead.push(`${md}: ${target}`);
      }
    }
    expect(dead).toEqual([]);
  });

  test("every entry point of package.json is in the package", () => {
    const entries = [pkg.main, pkg.types, ...Object.values(pkg.bin)];
    for (const e of Object.values(pkg.exports)) entries.push(...(typeof e === "string" ? [e] : Object.values(e)).filter((p) => !p.includes("*")));
    for (const e of entries) expect(files).toContain(e.replace(/^\.\//, ""));
  });

  test("publishing builds and tests first; the version is semver", () => {
    expect(pkg.scripts.prepublishOnly).toMatch(/npm run build/);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(root, "CHANGELOG.md"), "utf8")).toContain(`## ${pkg.version}`);
  });
});

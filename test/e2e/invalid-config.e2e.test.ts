import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultsOf, INVALID_CONFIGS, InvalidConfig } from "../fixtures/invalid-configs";
import { haveBind } from "../helpers/bind";
import { e2eSuite, tempProject, TempProject } from "../helpers/pulumi";

/**
 * Each configuration mistake of the corpus through the real `pulumi preview`
 * of the stack program: the first error line is exactly the expected one
 * (key path, value, what is wrong, rule id and RFC), and no stack frame or
 * "unhandled exception" is printed.
 */
const { describe: run, bin } = e2eSuite("the invalid-config e2e test", haveBind());

function stackFile(c: InvalidConfig): string {
  const lines = ["config:", `  maildns:defaults: ${JSON.stringify(defaultsOf(c))}`];
  if (c.domains !== undefined) lines.push(`  maildns:domains: ${JSON.stringify(c.domains)}`);
  if (c.extra) lines.push(c.extra);
  return `${lines.join("\n")}\n`;
}

run("configuration mistakes through the real pulumi preview", () => {
  let p: TempProject;
  beforeAll(() => {
    p = tempProject(stackFile(INVALID_CONFIGS[0] as InvalidConfig), bin);
  });

  test("the corpus has at least 30 mistakes", () => {
    expect(INVALID_CONFIGS.length).toBeGreaterThanOrEqual(30);
  });

  test.each(INVALID_CONFIGS.map((c) => [c.what, c] as const))("%s", (_what, c) => {
    writeFileSync(join(p.dir, "Pulumi.e2e.yaml"), stackFile(c));
    const r = p.run(["preview"], { allowFail: true });
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    const errors = [...out.matchAll(/^ {4}error: (.*)$/gm)].map((m) => m[1]);
    if (process.env.MAILDNS_PRINT_ERRORS) console.log(JSON.stringify({ what: c.what, error: errors[0] }));
    expect(errors[0]).toBe(c.error);
    expect(out).not.toMatch(/unhandled exception|^\s+at .+:\d+:\d+\)?$|TypeError|ZodError/m);
  });
});

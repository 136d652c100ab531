import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `maildns review` from the command line (the built CLI), on input it cannot use. */
describe("maildns review: bad input is exit 2 with the field and value named, before any output", () => {
  const cli = join(__dirname, "../../dist/cli/index.js");
  const dir = mkdtempSync(join(tmpdir(), "maildns-review-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const good = file("good.json", JSON.stringify({ steps: [], changeSummary: {} }));
  test.each([
    ["a missing file", [join(dir, "none.json")], /cannot read the file/],
    ["not JSON", [file("bad.json", "{steps")], /cannot be parsed as JSON/],
    ["a stack export", [file("export.json", JSON.stringify({ deployment: { resources: [] } }))], /stack export; review reads a plan/],
    ["a failed preview", [file("failed.json", JSON.stringify({ steps: [], diagnostics: [{ severity: "error", message: "error: TypeError: boom" }] }))], /the preview failed.*TypeError: boom/],
    ["an unknown format", [good, "--format", "html"], /--format = "html"/],
    ["a share over 1", [good, "--max-delete-share", "3"], /--max-delete-share = "3"/],
    ["a tiny size limit", [good, "--max-chars", "10"], /--max-chars = "10"/],
    ["an unreadable policy config", [good, "--policy-config", join(dir, "none.json")], /--config|--policy-config/],
  ])("%s", (_what, args, message) => {
    const r = spawnSync(process.execPath, [cli, "review", ...args], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });
});

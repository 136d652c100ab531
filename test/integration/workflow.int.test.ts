import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The GitHub Actions template (.github/workflows/maildns.yml): actionlint
 * (with shellcheck on the `run:` scripts when it is installed) finds nothing
 * in it, and it runs the preview and the review as docs/pull-request-review.md
 * describes. actionlint comes from scripts/actionlint.sh (on PATH, or built
 * from the Go module proxy once).
 */
const root = join(__dirname, "../..");
const workflowPath = join(root, ".github/workflows/maildns.yml");
const workflow = readFileSync(workflowPath, "utf8");

const provided = spawnSync("bash", [join(root, "scripts/actionlint.sh")], { cwd: root, encoding: "utf8", timeout: 600000 });
const actionlint = provided.status === 0 ? provided.stdout.trim() : undefined;
if (!actionlint) console.warn(`skipping the actionlint tests: scripts/actionlint.sh failed: ${(provided.stderr || String(provided.error ?? "")).trim()}`);
const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
if (actionlint && !shellcheck) console.warn("actionlint runs without shellcheck (not on PATH): the shell checks of the workflow are skipped");

function lint(dir: string, file: string) {
  const r = spawnSync(actionlint as string, ["-no-color", file], { cwd: dir, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of the workflow in a temporary repository, changed by `edit`. */
function lintCopy(edit: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), "maildns-workflow-"));
  try {
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    const edited = edit(workflow);
    expect(edited).not.toBe(workflow);
    writeFileSync(join(dir, ".github/workflows/maildns.yml"), edited);
    return lint(dir, ".github/workflows/maildns.yml");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

(actionlint ? describe : describe.skip)("the workflow template, under actionlint", () => {
  test("actionlint finds nothing", () => {
    expect(lint(root, ".github/workflows/maildns.yml")).toEqual({ status: 0, output: "" });
  });

  test("a workflow with an unknown key fails actionlint (the linter runs)", () => {
    const r = lintCopy((t) => t.replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest"));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/runs-onn/);
  });

  (shellcheck ? test : test.skip)("an unquoted variable in a run script fails actionlint's shellcheck pass", () => {
    const r = lintCopy((t) => t.replace('--stack "$PULUMI_STACK" > preview.json', "--stack $PULUMI_STACK > preview.json"));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/SC2086/);
  });

  (shellcheck ? test : test.skip)("an unquoted argument array fails actionlint's shellcheck pass", () => {
    const r = lintCopy((t) => t.replace('review preview.json "${args[@]}" >', "review preview.json ${args[@]} >"));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/SC2068/);
  });
});

describe("the workflow template", () => {
  /** The text of the step named `name`, up to the next step. */
  const step = (name: string) => {
    const start = workflow.indexOf(`- name: ${name}\n`);
    expect(start).toBeGreaterThan(-1);
    const end = workflow.slice(start + 1).search(/\n {6}- |\n {2}[a-z]/);
    return workflow.slice(start, end === -1 ? undefined : start + 1 + end);
  };

  test("previews the whole plan with the policy pack, then reviews the plan document", () => {
    const preview = step("Preview");
    expect(preview).toContain("pulumi preview --json --show-sames");
    expect(preview).toContain("--policy-pack node_modules/maildns/policies");
    expect(preview).toMatch(/> preview\.json \|\| status=\$\?/);
    const review = step("Review");
    expect(review).toMatch(/npx maildns review preview\.json (?:"\$\{args\[@\]\}" )?> review\.md \|\| status=\$\?/);
    expect(review).toContain("--policy-config maildns-policy.json");
  });

  test("the same optional policy pack config goes to the preview and to the review", () => {
    expect(step("Preview")).toContain("if [ -f maildns-policy.json ]; then args+=(--policy-pack-config maildns-policy.json); fi");
    expect(step("Review")).toContain("if [ -f maildns-policy.json ]; then args+=(--policy-config maildns-policy.json); fi");
  });

  test("uses neither an event log nor the streamed engine events", () => {
    // Pulumi 3.274's preview rejects --event-log; `maildns review` has no --events; the streamed
    // events carry debug diagnostics in which the Node SDK prints resource outputs, secrets included.
    expect(workflow).not.toMatch(/--event-log|--events\b|events\.json|PULUMI_ENABLE_STREAMING_JSON_PREVIEW/);
  });

  test("keeps one PR comment, found by the review's marker", () => {
    const comment = step("Comment on the pull request");
    expect(comment).toContain("<!-- maildns-review -->");
    expect(comment).toContain('gh api "repos/$REPO/issues/$PR/comments" --paginate');
    expect(comment).toContain("--method PATCH");
    expect(comment).toContain("gh pr comment");
  });

  test("fails on a preview failure and on review exits 1 and 3", () => {
    const verdict = step("Verdict");
    expect(verdict).toMatch(/if \[ "\$PREVIEW_EXIT" != 0 \]; then[\s\S]*?fail=1/);
    expect(verdict).toMatch(/\n\s+1\) [^\n]*fail=1 ;;/);
    expect(verdict).toMatch(/\n\s+3\) [^\n]*fail=1 ;;/);
    expect(verdict).toMatch(/\n\s+0\) (?![^\n]*fail=1)/);
    expect(verdict).toContain('exit "$fail"');
  });

  test("applies on main with the policy pack, to the stack named once at the top", () => {
    expect(workflow).toMatch(/^env:\n(?:\s+#.*\n)*\s+PULUMI_STACK: \$\{\{ vars\.PULUMI_STACK \}\}\n/m);
    expect(step("Update")).toContain('pulumi up --yes --policy-pack node_modules/maildns/policies "${args[@]}" --stack "$PULUMI_STACK"');
    // The same pack config as the review's, when the repository has one.
    expect(step("Update")).toContain("if [ -f maildns-policy.json ]; then args+=(--policy-pack-config maildns-policy.json); fi");
  });

  test("both jobs do nothing in a repository without the PULUMI_STACK variable", () => {
    const conditions = [...workflow.matchAll(/^ {4}if: (.*)$/gm)].map((m) => m[1]);
    expect(conditions).toEqual([
      "github.event_name == 'pull_request' && vars.PULUMI_STACK != ''",
      "github.event_name == 'push' && vars.PULUMI_STACK != ''",
    ]);
    // No fallback stack name anywhere: an unset variable must not reach a real stack.
    expect(workflow).not.toMatch(/vars\.PULUMI_STACK \|\|/);
    const groups = [...workflow.matchAll(/^ {6}group: (.*)$/gm)].map((m) => m[1]);
    expect(groups).toEqual([
      "maildns-review-${{ vars.PULUMI_STACK }}-${{ github.event.pull_request.number }}",
      "maildns-up-${{ vars.PULUMI_STACK }}",
    ]);
  });
});

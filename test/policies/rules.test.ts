import { rules } from "../../lib/rules";
import { evaluate } from "../../policies/evaluate";
import { levelOf, NOTES_POLICY, policies, SETTINGS_POLICY } from "../../policies/policies";
import { CASES, NOT_FOR_STACKS, providersOf } from "./cases";
import { toResources } from "./providers";

/** Offline: SPF includes outside the stack are never looked up in these tests. */
const offline = Object.fromEntries(policies.map((p) => [p.name, { offline: true }]));

describe("the pack has one policy per rule id, error → mandatory, warning → advisory", () => {
  test("policies and rules match", () => {
    expect(policies.map((p) => p.name)).toEqual([SETTINGS_POLICY, ...rules.map((r) => r.id), NOTES_POLICY]);
    for (const r of rules) {
      const p = policies.find((x) => x.name === r.id);
      expect(p?.enforcementLevel).toBe(levelOf(r));
      expect(p?.description).toContain(r.rfc);
    }
  });
  test("every rule has a case", () => {
    expect(Object.keys(CASES).sort()).toEqual(rules.map((r) => r.id).filter((id) => !NOT_FOR_STACKS.includes(id)).sort());
  });
});

const matrix = Object.entries(CASES).flatMap(([id, c]) => providersOf(c).map((p) => [id, p, c] as const));

describe.each(matrix)("%s on %s", (id, provider, c) => {
  test("passes", async () => {
    const v = await evaluate(toResources(provider, c.pass), offline);
    expect(v.filter((x) => x.policy === id)).toEqual([]);
  });
  test("fails with the rule's id and level", async () => {
    const v = await evaluate(toResources(provider, c.fail), offline);
    const mine = v.filter((x) => x.policy === id);
    expect(mine.length).toBeGreaterThan(0);
    const rule = rules.find((r) => r.id === id);
    expect(mine[0]?.level).toBe(rule?.severity === "error" ? "mandatory" : "advisory");
    expect(mine[0]?.message).toContain(`[${id}`);
    // What receivers do, as in verify and lint.
    expect(mine[0]?.message).toMatch(/\] Receivers: \S/);
    expect(mine[0]?.urn).toMatch(/^urn:pulumi:test::maildns::/);
  });
});

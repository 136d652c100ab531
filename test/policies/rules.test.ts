import { rules } from "../../lib/rules";
import { evaluate } from "../../policies/evaluate";
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { INPUTS_POLICY, levelOf, NOTES_POLICY, policies, SETTINGS_POLICY } from "../../policies/policies";
import { CASES, NOT_FOR_STACKS, providersOf } from "./cases";
import { toResources } from "./providers";

/** Offline: SPF includes outside the stack are never looked up in these tests. */
const offline = Object.fromEntries(policies.map((p) => [p.name, { offline: true }]));

describe("the pack has one policy per rule id, error → mandatory, warning → advisory", () => {
  test("policies and rules match", () => {
    expect(policies.map((p) => p.name)).toEqual([INPUTS_POLICY, SETTINGS_POLICY, ...rules.map((r) => r.id), NOTES_POLICY]);
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

describe("zone-file record sets: inputs only, read by the stack policies from the resource validation", () => {
  const urn = "urn:pulumi:test::maildns::pulumi-nodejs:dynamic/maildns:ZoneFile::zonefile-inputs.example";
  const type = "pulumi-nodejs:dynamic/maildns:ZoneFile";
  const rrsets = { "@ MX": { ttl: 300, rdata: ["10 alias.inputs.example."] }, "alias CNAME": { ttl: 300, rdata: ["mx.inputs.example."] }, "mx A": { ttl: 300, rdata: ["192.0.2.10"] } };
  // What the engine hands the stack policies: outputs, with a digest per record set and no record sets.
  const outputs = { root: "/p", path: "zonefiles/inputs.example.zone", origin: "inputs.example", digest: "0", digests: { "@ MX": "1", "alias CNAME": "2", "mx A": "3" } };
  const stackPolicy = policies.find((p) => p.name === "mx-target-not-cname") as StackValidationPolicy;
  const notesPolicy = policies.find((p) => p.name === NOTES_POLICY) as StackValidationPolicy;
  const check = async (policy = stackPolicy) => {
    const reported: string[] = [];
    const args = {
      resources: [{ type, name: "zonefile-inputs.example", urn, props: outputs }],
      getConfig: () => ({ offline: true }),
      notApplicable: (why: string) => reported.push(`not applicable: ${why}`),
    } as unknown as StackValidationArgs;
    await policy.validateStack(args, (m: string) => reported.push(m));
    return reported;
  };

  test("without the resource validation's inputs, the stack policy sees no record of the zone, and the notes say why", async () => {
    expect(await check()).toEqual([]);
    expect(await check(notesPolicy)).toEqual([expect.stringMatching(/record sets not read: the maildns-record-inputs policy reads them from the resource's inputs \(is it disabled\?\)/)]);
  });

  test("with them, it judges the record sets the outputs do not keep", async () => {
    const inputs = policies.find((p) => p.name === INPUTS_POLICY) as ResourceValidationPolicy;
    await (inputs.validateResource as ResourceValidation)({ type, urn, name: "zonefile-inputs.example", props: { ...outputs, digests: undefined, rrsets } } as unknown as ResourceValidationArgs, () => {
      throw new Error("the inputs reader reports nothing");
    });
    const reported = await check();
    expect(reported.length).toBe(1);
    expect(reported[0]).toMatch(/MX target alias\.inputs\.example is a CNAME/);
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
    expect(mine[0]?.message).toMatch(/\] Receivers:? \S/);
    expect(mine[0]?.urn).toMatch(/^urn:pulumi:test::maildns::/);
  });
});

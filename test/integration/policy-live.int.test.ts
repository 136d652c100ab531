import { join } from "node:path";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { evaluate } from "../../policies/evaluate";
import { toResources } from "../policies/providers";

/** The pack's optional live check of MX targets outside the stack (`liveDns: true`), against BIND. */
const run = haveBind() ? describe : describe.skip;
if (!haveBind()) console.warn("skipping the live MX policy tests: BIND (named) is not installed");

run("policy pack: MX targets outside the stack, in live DNS", () => {
  let dns: BindServer;
  beforeAll(async () => {
    dns = await startBind([{ name: "example.net", file: join(__dirname, "../fixtures/policy/example.net.zone") }]);
  });
  afterAll(async () => dns?.stop());

  const stack = (target: string) => toResources("route53", [{ name: "example.com", type: "MX", values: [`10 ${target}.`] }]);
  const config = (liveDns: boolean) => ({
    "mx-target-not-cname": { liveDns, dnsServers: [dns.address] },
    "mx-target-has-address": { liveDns, dnsServers: [dns.address] },
    "maildns-notes": { offline: true },
  });
  const mandatory = async (target: string, liveDns = true) => (await evaluate(stack(target), config(liveDns))).filter((v) => v.level === "mandatory").map((v) => v.policy);

  test("an external target that is a CNAME is mx-target-not-cname", async () => {
    expect(await mandatory("alias.example.net")).toEqual(["mx-target-not-cname"]);
  });
  test("an external target without addresses is mx-target-has-address", async () => {
    expect(await mandatory("noaddr.example.net")).toEqual(["mx-target-has-address"]);
  });
  test("a good external target passes; without liveDns nothing is looked up", async () => {
    expect(await mandatory("mx.example.net")).toEqual([]);
    expect(await mandatory("alias.example.net", false)).toEqual([]);
  });
});

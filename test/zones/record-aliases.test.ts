import * as pulumi from "@pulumi/pulumi";
import { childUrn, recordAliases } from "../../zones/zone";
import { installMocks, promiseOf } from "../helpers/mocks";

describe("recordAliases: the names a record resource had before", () => {
  const former = "urn:pulumi:s::p::maildns:index:MailDomain::domain-example.com";

  test("nothing to alias: no aliases option at all", () => {
    expect(recordAliases({ namePrefix: "d" })).toBeUndefined();
  });

  test("a former name under the same parent", () => {
    expect(recordAliases({ namePrefix: "d" }, ["d-txt-example.com-1a2b3c4d"])).toEqual([{ name: "d-txt-example.com-1a2b3c4d" }]);
  });

  test("moved out of a MailDomain component: the same name under it, and each former name under it too", () => {
    expect(recordAliases({ namePrefix: "d", formerParent: former }, ["d-txt-example.com-1a2b3c4d"])).toEqual([
      { name: "d-txt-example.com-1a2b3c4d" },
      { parent: former },
      { name: "d-txt-example.com-1a2b3c4d", parent: former },
    ]);
    expect(recordAliases({ namePrefix: "d", formerParent: former })).toEqual([{ parent: former }]);
  });
});

describe("childUrn: the URN createUrn builds, as a plain string where it can be", () => {
  beforeAll(() => {
    installMocks();
  });
  const type = "pulumi-nodejs:dynamic/maildns:DkimKeyPair";
  const stackUrn = "urn:pulumi:test::maildns::pulumi:pulumi:Stack::maildns-test";
  const component = "urn:pulumi:test::maildns::maildns:index:MailDomain::domain-example.com";
  const nested = "urn:pulumi:test::maildns::my:index:Group$maildns:index:MailDomain::domain-example.com";
  test.each([
    ["under the stack (no parent)", undefined],
    ["under the stack, given by its URN", stackUrn],
    ["under a component of the stack", component],
    ["under a component inside another", nested],
  ])("%s", async (_what, parent) => {
    const urn = childUrn("k", type, parent);
    expect(typeof urn).toBe("string");
    expect(urn).toBe(await promiseOf(pulumi.createUrn("k", type, parent)));
  });

  test("under a parent known only as an output: createUrn itself", async () => {
    const urn = childUrn("k", type, pulumi.output(component));
    expect(pulumi.Output.isInstance(urn)).toBe(true);
    expect(await promiseOf(urn as pulumi.Output<string>)).toBe(`urn:pulumi:test::maildns::maildns:index:MailDomain$${type}::k`);
  });
});

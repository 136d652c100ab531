import { recordAliases } from "../../zones/zone";

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

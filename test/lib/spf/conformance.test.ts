import { checkHost } from "../../../lib/spf";
import { staticResolver } from "../../../lib/resolver";
import { loadSuite } from "../../helpers/spf-suite";

/**
 * The openspf RFC 7208 conformance suite (release 2014.04), every case.
 * Where the suite allows several results, any of them passes. Explanations
 * are compared case-insensitively: the suite writes ip6.arpa nibbles in upper
 * case, RFC 7208 §7.3 expands them in lower case, and DNS names are
 * case-insensitive. "DEFAULT" means the checker's own default explanation,
 * which maildns does not invent: no explanation is returned.
 */
const sections = loadSuite();

describe.each(sections.map((s) => [s.description, s] as const))("RFC 7208 suite: %s", (_d, section) => {
  const resolver = staticResolver(section.zone);
  test.each(section.cases.map((c) => [`${c.name} (RFC 7208 §${c.spec})`, c] as const))("%s", async (_n, c) => {
    const r = await checkHost({ ip: c.host, sender: c.mailfrom, helo: c.helo, now: new Date(0) }, { resolver });
    expect(c.result).toContain(r.result);
    if (c.explanation === "DEFAULT") {
      expect(r.explanation).toBeUndefined();
    } else if (c.explanation !== undefined) {
      expect(r.explanation?.toLowerCase()).toBe(c.explanation.toLowerCase());
    }
  });
});

test("the suite is loaded whole", () => {
  const total = sections.reduce((n, s) => n + s.cases.length, 0);
  expect(sections).toHaveLength(16);
  expect(total).toBe(200);
});

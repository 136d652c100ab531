import { discoverDmarc, TxtLookup } from "../../../lib/dmarc-discovery";
import { check, summary } from "../../helpers/rules";

const zone = (records: Record<string, string[]>, failing: string[] = []): TxtLookup => async (name) =>
  failing.includes(name) ? { values: [], failure: "SERVFAIL" } : { values: records[name] ?? [] };
const view = async (domain: string, lookup: TxtLookup) => ({ live: true, facts: { dmarcPolicy: { [domain]: await discoverDmarc(domain, lookup) } } });

describe("dmarc-policy-present (RFC 9989, RFC 7489 §6.6.3)", () => {
  test("passes the domain's own policy and the organisational domain's (both discoveries find it)", async () => {
    expect(check("dmarc-policy-present", [], await view("example.com", zone({ "_dmarc.example.com": ["v=DMARC1; p=reject"] })))).toEqual([]);
    expect(check("dmarc-policy-present", [], await view("mail.example.com", zone({ "_dmarc.example.com": ["v=DMARC1; p=reject"] })))).toEqual([]);
  });
  test("an organisational domain under a multi-label public suffix comes from the Public Suffix List", async () => {
    const d = await discoverDmarc("a.b.example.co.uk", zone({ "_dmarc.example.co.uk": ["v=DMARC1; p=reject"] }));
    expect(d.rfc7489?.name).toBe("_dmarc.example.co.uk");
    expect(d.rfc9989?.name).toBe("_dmarc.example.co.uk");
  });
  test("flags no policy anywhere, and a record receivers discard (no p, no rua)", async () => {
    expect(summary(check("dmarc-policy-present", [], await view("example.com", zone({}))))).toEqual(["dmarc-policy-present _dmarc.example.com TXT error"]);
    expect(summary(check("dmarc-policy-present", [], await view("example.com", zone({ "_dmarc.example.com": ["v=DMARC1; sp=reject"] }))))).toEqual(["dmarc-policy-present _dmarc.example.com TXT error"]);
    // p missing but rua valid: receivers apply p=none, a policy.
    expect(check("dmarc-policy-present", [], await view("example.com", zone({ "_dmarc.example.com": ["v=DMARC1; rua=mailto:d@example.com"] })))).toEqual([]);
  });
  test("several records at the domain: RFC 7489 stops, the RFC 9989 walk goes on", async () => {
    const d = await discoverDmarc("a.example.com", zone({ "_dmarc.a.example.com": ["v=DMARC1; p=reject", "v=DMARC1; p=none"], "_dmarc.example.com": ["v=DMARC1; p=reject"] }));
    expect(d.rfc7489).toBeUndefined();
    expect(d.rfc9989?.name).toBe("_dmarc.example.com");
  });
  test("a policy only the tree walk finds is a warning naming RFC 7489's blind spot", async () => {
    const f = check("dmarc-policy-present", [], await view("a.b.example.com", zone({ "_dmarc.b.example.com": ["v=DMARC1; p=reject"] })));
    expect(summary(f)).toEqual(["dmarc-policy-present _dmarc.a.b.example.com TXT warning"]);
    expect(f[0]?.message).toMatch(/only RFC 9989 receivers/);
  });
  test("the walk cuts a name of 8 or more labels to 7 first", async () => {
    const asked: string[] = [];
    await discoverDmarc("a.b.c.d.e.f.g.example.com", async (n) => (asked.push(n), { values: [] }));
    expect(asked).toEqual(expect.arrayContaining(["_dmarc.a.b.c.d.e.f.g.example.com", "_dmarc.c.d.e.f.g.example.com", "_dmarc.com"]));
    expect(asked).not.toContain("_dmarc.b.c.d.e.f.g.example.com");
  });
  test("a DNS failure that leaves no policy found is 'could not verify'", async () => {
    const f = check("dmarc-policy-present", [], await view("example.com", zone({}, ["_dmarc.example.com"])));
    expect(f.map((x) => [x.severity, x.unverified])).toEqual([["warning", true]]);
  });
});

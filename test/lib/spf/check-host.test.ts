import { checkHost, CheckHostInput } from "../../../lib/spf";
import { staticResolver, StaticRecords } from "../../../lib/resolver";

/** The zone of RFC 7208 Appendix A. */
const appendixA: Record<string, StaticRecords> = {
  "example.com": { MX: [{ priority: 10, exchange: "mail-a.example.com" }, { priority: 20, exchange: "mail-b.example.com" }], A: ["192.0.2.10", "192.0.2.11"] },
  "amy.example.com": { A: ["192.0.2.65"] },
  "bob.example.com": { A: ["192.0.2.66"] },
  "mail-a.example.com": { A: ["192.0.2.129"] },
  "mail-b.example.com": { A: ["192.0.2.130"] },
  "www.example.com": { CNAME: "example.com" },
  "example.org": { MX: [{ priority: 10, exchange: "mail-c.example.org" }] },
  "mail-c.example.org": { A: ["192.0.2.140"] },
  "10.2.0.192.in-addr.arpa": { PTR: ["example.com"] },
  "11.2.0.192.in-addr.arpa": { PTR: ["example.com"] },
  "65.2.0.192.in-addr.arpa": { PTR: ["amy.example.com"] },
  "66.2.0.192.in-addr.arpa": { PTR: ["bob.example.com"] },
  "129.2.0.192.in-addr.arpa": { PTR: ["mail-a.example.com"] },
  "130.2.0.192.in-addr.arpa": { PTR: ["mail-b.example.com"] },
  "140.2.0.192.in-addr.arpa": { PTR: ["mail-c.example.org"] },
  "22.0.0.10.in-addr.arpa": { PTR: ["example.com"] },
};

async function passes(record: string, ip: string): Promise<string> {
  const zone = { ...appendixA, "example.com": { ...appendixA["example.com"], TXT: [record] } };
  const input: CheckHostInput = { ip, sender: "user@example.com", helo: "client.example.net" };
  return (await checkHost(input, { resolver: staticResolver(zone) })).result;
}

describe("check_host on the RFC 7208 Appendix A.1 examples", () => {
  const cases: [string, string[], string[]][] = [
    ["v=spf1 +all", ["192.0.2.1", "198.51.100.7"], []],
    ["v=spf1 a -all", ["192.0.2.10", "192.0.2.11"], ["192.0.2.65", "192.0.2.129"]],
    ["v=spf1 a:example.org -all", [], ["192.0.2.10", "192.0.2.140"]],
    ["v=spf1 mx -all", ["192.0.2.129", "192.0.2.130"], ["192.0.2.10", "192.0.2.140"]],
    ["v=spf1 mx:example.org -all", ["192.0.2.140"], ["192.0.2.129"]],
    ["v=spf1 mx mx:example.org -all", ["192.0.2.129", "192.0.2.130", "192.0.2.140"], ["192.0.2.10"]],
    ["v=spf1 mx/30 mx:example.org/30 -all", ["192.0.2.131", "192.0.2.143"], ["192.0.2.132", "192.0.2.10"]],
    ["v=spf1 ptr -all", ["192.0.2.65", "192.0.2.129"], ["192.0.2.140", "10.0.0.22"]],
    ["v=spf1 ip4:192.0.2.128/28 -all", ["192.0.2.129", "192.0.2.140"], ["192.0.2.65"]],
  ];
  test.each(cases)("%s", async (record, pass, fail) => {
    for (const ip of pass) expect([ip, await passes(record, ip)]).toEqual([ip, "pass"]);
    for (const ip of fail) expect([ip, await passes(record, ip)]).toEqual([ip, "fail"]);
  });
});

describe("check_host details", () => {
  test("counts lookups and voids it made", async () => {
    const r = await checkHost({ ip: "192.0.2.129", sender: "a@example.com", helo: "h.example.net" }, {
      resolver: staticResolver({ ...appendixA, "example.com": { ...appendixA["example.com"], TXT: ["v=spf1 a:gone.example.com mx -all"] } }),
    });
    expect(r).toMatchObject({ result: "pass", lookups: 2, voidLookups: 1 });
  });

  test("a lookup limit can be set lower (RFC 7208 §4.6.4 allows it)", async () => {
    const resolver = staticResolver({ ...appendixA, "example.com": { ...appendixA["example.com"], TXT: ["v=spf1 a mx -all"] } });
    const r = await checkHost({ ip: "192.0.2.129", sender: "a@example.com", helo: "h" }, { resolver, maxLookups: 1 });
    expect(r.result).toBe("permerror");
  });

  test("an address that is not an address gives none", async () => {
    const r = await checkHost({ ip: "not-an-ip", sender: "a@example.com", helo: "h" }, { resolver: staticResolver(appendixA) });
    expect(r.result).toBe("none");
  });

  test("the time limit turns into temperror (§4.6.4)", async () => {
    const slow = staticResolver({ "example.com": { TXT: ["v=spf1 a -all"], A: ["192.0.2.1"] } });
    const delayed = { ...slow, resolveTxt: async (n: string) => { await new Promise((r) => setTimeout(r, 30)); return slow.resolveTxt(n); } };
    const r = await checkHost({ ip: "192.0.2.1", sender: "a@example.com", helo: "h" }, { resolver: delayed, timeoutMs: 10 });
    expect(r.result).toBe("temperror");
  });
});

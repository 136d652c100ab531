import { checkDnsbl, dnsblName, meaningOf } from "../../../lib/dnsbl";
import { staticResolver } from "../../../lib/resolver";
import { check, summary } from "../../helpers/rules";

const list = staticResolver({
  "2.0.0.127.bl.example": { A: ["127.0.0.2"] },
  "66.2.0.192.bl.example": { A: ["127.0.0.2"], TXT: ["spam sent 2026-11-01"] },
  "77.2.0.192.bl.example": { A: ["203.0.113.1"] },
  [`${dnsblName("::ffff:7f00:2", "bl.example")}`]: { A: ["127.0.0.2"] },
  [`${dnsblName("2001:db8::66", "bl.example")}`]: { A: ["127.0.0.4"] },
  "bl.example": { A: ["127.0.0.1"] },
  "dead.example": { A: ["127.0.0.1"] },
});

describe("mail-host-not-blocklisted (RFC 5782)", () => {
  test("query names: reversed octets, reversed nibbles (RFC 5782 §2.1, §2.4)", () => {
    expect(dnsblName("192.0.2.66", "bl.example")).toBe("66.2.0.192.bl.example");
    expect(dnsblName("2001:db8::66", "bl.example")).toBe("6.6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example");
  });
  test("listed (with the list's reason), not listed, and lists that cannot be trusted", async () => {
    expect(await checkDnsbl(list, "192.0.2.66", "bl.example")).toMatchObject({ listed: true, codes: ["127.0.0.2"], reason: "spam sent 2026-11-01" });
    expect(await checkDnsbl(list, "2001:db8::66", "bl.example")).toMatchObject({ listed: true, codes: ["127.0.0.4"] });
    expect(await checkDnsbl(list, "192.0.2.10", "bl.example")).toMatchObject({ listed: false });
    expect((await checkDnsbl(list, "192.0.2.77", "bl.example")).error).toMatch(/not a listing code/);
    expect((await checkDnsbl(list, "192.0.2.10", "dead.example")).error).toMatch(/does not list its test address/);
  });
  test("known return codes are explained", () => {
    expect(meaningOf("zen.spamhaus.org", "127.0.0.4")).toMatch(/XBL/);
    expect(meaningOf("bl.example", "127.0.0.3")).toBe("listed (127.0.0.3)");
  });
  test("findings: listed is an error with the consequence for that list; an untrusted list is 'could not verify'", async () => {
    const dnsbl = [await checkDnsbl(list, "192.0.2.66", "bl.example"), await checkDnsbl(list, "192.0.2.10", "bl.example"), await checkDnsbl(list, "192.0.2.10", "dead.example")];
    const f = check("mail-host-not-blocklisted", [], { live: true, facts: { dnsbl } });
    expect(summary(f)).toEqual(["mail-host-not-blocklisted 192.0.2.66 bl.example error", "mail-host-not-blocklisted 192.0.2.10 dead.example warning"]);
    expect(f[0]?.consequence).toMatch(/receivers that use bl\.example reject/);
    expect(f[1]?.unverified).toBe(true);
  });
});

import { cachingResolver, createResolver, DnsResolver, errorCode, parseServer, staticResolver } from "../../lib/resolver";
import { MailDnsError } from "../../lib/errors";
import { recordingResolver } from "../helpers/recording-resolver";

const zone = staticResolver({
  "example.com": { A: ["192.0.2.1"], MX: [{ priority: 10, exchange: "mail.example.com." }], TXT: [["v=spf1 ", "-all"]] },
  "mail.example.com": { A: ["192.0.2.2"] },
  "www.example.com": { CNAME: "example.com" },
  "loop1.example.com": { CNAME: "loop2.example.com" },
  "loop2.example.com": { CNAME: "loop1.example.com" },
  "slow.example.com": { timeout: true, A: ["192.0.2.3"] },
});

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return errorCode(e);
  }
}

describe("static resolver: a recursive resolver's answers", () => {
  test("answers, character-strings and MX", async () => {
    expect(await zone.resolve4("EXAMPLE.com.")).toEqual(["192.0.2.1"]);
    expect(await zone.resolveTxt("example.com")).toEqual([["v=spf1 ", "-all"]]);
    expect(await zone.resolveMx("example.com")).toEqual([{ priority: 10, exchange: "mail.example.com" }]);
  });
  test("follows CNAME chains; a loop is SERVFAIL (RFC 1034 §3.6.2)", async () => {
    expect(await zone.resolve4("www.example.com")).toEqual(["192.0.2.1"]);
    expect(await zone.resolveCname("www.example.com")).toEqual(["example.com"]);
    expect(await code(zone.resolve4("loop1.example.com"))).toBe("ESERVFAIL");
  });
  test("node's error codes: ENOTFOUND, ENODATA, ETIMEOUT", async () => {
    expect(await code(zone.resolve4("nope.example.com"))).toBe("ENOTFOUND");
    expect(await code(zone.resolve6("example.com"))).toBe("ENODATA");
    expect(await code(zone.resolveTxt("slow.example.com"))).toBe("ETIMEOUT");
    expect(await zone.resolve4("slow.example.com")).toEqual(["192.0.2.3"]);
  });
});

describe("caching resolver", () => {
  test("asks each distinct question once, failures included", async () => {
    const rec = recordingResolver(zone);
    const cached: DnsResolver = cachingResolver(rec);
    await Promise.all([cached.resolve4("example.com"), cached.resolve4("Example.COM."), cached.resolve4("example.com")]);
    await code(cached.resolve4("nope.example.com"));
    await code(cached.resolve4("nope.example.com"));
    await cached.resolveTxt("example.com");
    expect(rec.queries).toEqual(["A example.com", "A nope.example.com", "TXT example.com"]);
  });
});

describe("resolver factory", () => {
  test("accepts host:port forms", () => {
    expect(parseServer("127.0.0.1:5353")).toBe("127.0.0.1:5353");
    expect(parseServer("[::1]:53")).toBe("[::1]:53");
    expect(parseServer("::1")).toBe("::1");
    expect(() => createResolver({ servers: ["127.0.0.1:5353"], timeoutMs: 500, tries: 1 })).not.toThrow();
  });
  test("rejects bad servers, timeouts and tries with MailDnsError", () => {
    for (const bad of ["dns.example.com", "127.0.0.1:99999", "1.2.3:53", ""]) {
      expect(() => parseServer(bad)).toThrow(MailDnsError);
    }
    expect(() => createResolver({ timeoutMs: 0 })).toThrow(MailDnsError);
    expect(() => createResolver({ tries: 0 })).toThrow(MailDnsError);
  });
  test("a server that does not answer gives ETIMEOUT or ECONNREFUSED, not a hang", async () => {
    // Loopback port 9 (discard) has no DNS server: the query fails within the timeout.
    const r = createResolver({ servers: ["127.0.0.1:9"], timeoutMs: 200, tries: 1 });
    expect(["ETIMEOUT", "ECONNREFUSED"]).toContain(await code(r.resolve4("example.com")));
  });
});

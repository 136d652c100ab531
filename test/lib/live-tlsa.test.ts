import { createSocket, Socket } from "node:dgram";
import * as packet from "dns-packet";
import { queryUdp } from "../../lib/dns-query";
import { liveView } from "../../lib/live";
import { createResolver, errorCode, staticResolver } from "../../lib/resolver";
import { runRules } from "../../lib/rules";

const HEX = "ab".repeat(32);

describe("live view: TLSA of the MX hosts (RFC 7672 §2.2.3)", () => {
  const zone = (signed?: boolean) => staticResolver({
    "example.com": { MX: [{ priority: 10, exchange: "mx.example.com" }], TXT: ["v=spf1 mx -all"] },
    "mx.example.com": { A: ["192.0.2.10"] },
    "_25._tcp.mx.example.com": { TLSA: [{ usage: 3, selector: 1, matchingType: 1, data: HEX, signed }] },
  });

  test("asks _25._tcp.<host> TLSA; unsigned answers make tlsa-needs-dnssec warn", async () => {
    const view = await liveView("example.com", { resolver: zone(false) });
    expect(view.values("_25._tcp.mx.example.com", "TLSA")).toEqual([`3 1 1 ${HEX}`]);
    expect(view.facts.questions?.["_25._tcp.mx.example.com TLSA"]).toBe("answer");
    expect(view.facts.dnssec).toEqual({ "_25._tcp.mx.example.com": false });
    const ids = runRules(view).filter((f) => f.ruleId.startsWith("tlsa-")).map((f) => `${f.ruleId} ${f.severity}`);
    expect(ids).toEqual(["tlsa-needs-dnssec warning"]);
  });

  test("signed answers: no warning; unknown: no fact", async () => {
    expect(runRules(await liveView("example.com", { resolver: zone(true) })).filter((f) => f.ruleId.startsWith("tlsa-"))).toEqual([]);
    expect((await liveView("example.com", { resolver: zone(undefined) })).facts.dnssec).toBeUndefined();
  });

  test("a resolver without resolveTlsa: the question is not asked", async () => {
    const { resolveTlsa: _none, ...plain } = zone(false);
    const view = await liveView("example.com", { resolver: plain });
    expect(view.facts.questions?.["_25._tcp.mx.example.com TLSA"]).toBeUndefined();
    expect(view.values("_25._tcp.mx.example.com", "TLSA")).toEqual([]);
  });
});

describe("queryUdp / createResolver().resolveTlsa: dns-packet over UDP", () => {
  let server: Socket;
  let port = 0;
  const flagsSeen: number[] = [];
  beforeAll(async () => {
    server = createSocket("udp4");
    server.on("message", (msg, rinfo) => {
      const q = packet.decode(msg);
      flagsSeen.push(q.flags ?? 0);
      const name = q.questions?.[0]?.name ?? "";
      const base = { type: "response" as const, id: q.id, questions: q.questions };
      let reply: Buffer;
      if (name === "_25._tcp.signed.example.com") {
        reply = packet.encode({ ...base, flags: packet.AUTHENTIC_DATA, answers: [{ type: "TLSA", name, ttl: 300, data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from(HEX, "hex") } } as never] });
      } else if (name === "_25._tcp.plain.example.com") {
        reply = packet.encode({ ...base, flags: 0, answers: [{ type: "TLSA", name, ttl: 300, data: { usage: 2, selector: 1, matchingType: 1, certificate: Buffer.from(HEX, "hex") } } as never] });
      } else if (name === "_25._tcp.empty.example.com") {
        reply = packet.encode({ ...base, flags: 0, answers: [] });
      } else if (name === "_25._tcp.silent.example.com") {
        return;
      } else {
        reply = packet.encode({ ...base, flags: 3 }); // rcode 3, NXDOMAIN: dns-packet takes it in the low bits of flags
      }
      server.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => server.bind(0, "127.0.0.1", () => r()));
    port = (server.address() as { port: number }).port;
  }, 10_000);
  afterAll(() => server.close());

  test("answers in presentation fields; AD bit = signed; DO and AD set in the query", async () => {
    const r = createResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 500, tries: 1 });
    expect(await r.resolveTlsa?.("_25._tcp.signed.example.com")).toEqual([{ usage: 3, selector: 1, matchingType: 1, data: HEX, signed: true }]);
    expect(await r.resolveTlsa?.("_25._tcp.plain.example.com")).toEqual([{ usage: 2, selector: 1, matchingType: 1, data: HEX, signed: false }]);
    expect(flagsSeen.every((f) => (f & packet.AUTHENTIC_DATA) !== 0 && (f & packet.RECURSION_DESIRED) !== 0)).toBe(true);
  }, 10_000);

  test("node's error codes: ENODATA, ENOTFOUND, ETIMEOUT", async () => {
    const code = (n: string) => queryUdp(`127.0.0.1:${port}`, n, "TLSA", { timeoutMs: 200, tries: 1 }).then(() => "ok", (e) => errorCode(e));
    expect(await code("_25._tcp.empty.example.com")).toBe("ENODATA");
    expect(await code("_25._tcp.nope.example.com")).toBe("ENOTFOUND");
    expect(await code("_25._tcp.silent.example.com")).toBe("ETIMEOUT");
  }, 10_000);
});

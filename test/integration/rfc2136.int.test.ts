import { execFileSync } from "node:child_process";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { rfc2136Provider, Rfc2136RecordsInputs, rfc2136RecordsProvider } from "../../zones/rfc2136-provider";
import { buildUpdate, exchangeTcp, parseReply, queryRrset, signTsig } from "../../zones/dnsupdate";

/**
 * The rfc2136 backend against a real BIND on a loopback port, with a TSIG
 * key: create, update, delete, no clobbering, failures that change nothing.
 */
const run = haveBind() ? describe : describe.skip;
if (!haveBind()) console.warn("skipping the RFC 2136 integration tests: BIND (named) is not installed");
const p = rfc2136RecordsProvider as Required<typeof rfc2136RecordsProvider>;

run("rfc2136 backend against BIND", () => {
  let bind: BindServer;
  let base: Omit<Rfc2136RecordsInputs, "rrsets">;
  const long = `v=DKIM1; k=rsa; p=${"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".padEnd(392, "Q")}`;
  beforeAll(async () => {
    bind = await startBind([{ name: "example.com", dynamic: true }]);
    base = { server: bind.address, zone: "example.com", keyName: bind.key.name, keySecret: bind.key.secret, timeoutMs: 3000 };
  }, 30000);
  afterAll(async () => bind?.stop());

  const live = (name: string, type: string) => queryRrset(bind.address, name, type, 3000);
  const dig = (name: string, type: string) => execFileSync("dig", ["+short", "-p", String(bind.port), "@127.0.0.1", type, name], { encoding: "utf8" }).trim();
  const rr = (name: string, type: string, ...values: string[]) => ({ name, type, ttl: 300, values });

  test("one resource creates all its RRsets in one message: addresses before the MX, TXT over 255 octets split correctly", async () => {
    // BIND refuses an in-zone MX target without addresses: the message adds the hosts first.
    const inputs = { ...base, rrsets: [rr("example.com", "MX", "10 mxa.example.com.", "20 mxb.example.com."), rr("s1._domainkey.example.com", "TXT", long), rr("mxa.example.com", "A", "192.0.2.1"), rr("mxb.example.com", "AAAA", "2001:db8::1")] };
    const r = await p.create(inputs);
    expect(r.id).toMatch(/^example\.com\//);
    expect((await live("s1._domainkey.example.com", "TXT")).values).toEqual([long]);
    const strings = dig("s1._domainkey.example.com", "TXT").match(/"[^"]*"/g) ?? [];
    expect(strings.map((x) => x.length - 2)).toEqual([255, long.length - 255]);
    expect((await live("example.com", "MX")).values.sort()).toEqual(["10 mxa.example.com.", "20 mxb.example.com."]);
  });

  test("update changes, adds and removes RRsets in one message; read sees it (refresh)", async () => {
    const olds = { ...base, rrsets: [rr("mx1.example.com", "A", "192.0.2.10"), rr("old.example.com", "TXT", "bye")] };
    await p.create(olds);
    const news = { ...base, rrsets: [rr("mx1.example.com", "A", "192.0.2.11", "192.0.2.12"), rr("new.example.com", "TXT", "hello")] };
    expect((await p.diff("id", olds, news)).replaces).toEqual([]);
    await p.update("id", olds, news);
    expect((await live("mx1.example.com", "A")).values.sort()).toEqual(["192.0.2.11", "192.0.2.12"]);
    expect((await live("new.example.com", "TXT")).values).toEqual(["hello"]);
    expect((await live("old.example.com", "TXT")).values).toEqual([]);
    const read = await p.read("id", news);
    expect((read.props as Rfc2136RecordsInputs).rrsets.map((x) => x.values.sort())).toEqual([["192.0.2.11", "192.0.2.12"], ["hello"]]);
  });

  test("a record set someone else owns is not clobbered: clear error, nothing written; an identical one is taken over", async () => {
    await p.create({ ...base, rrsets: [rr("_dmarc.example.com", "TXT", "v=DMARC1; p=none")] });
    await expect(p.create({ ...base, rrsets: [rr("fresh.example.com", "A", "192.0.2.5"), rr("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")] })).rejects.toThrow(/_dmarc\.example\.com TXT: the record set already exists with other values and is not managed by this stack/);
    expect((await live("_dmarc.example.com", "TXT")).values).toEqual(["v=DMARC1; p=none"]);
    expect((await live("fresh.example.com", "A")).values).toEqual([]);
    // What a killed update (or the layout before 0.2) left: the same values.
    await p.create({ ...base, rrsets: [rr("_dmarc.example.com", "TXT", "v=DMARC1; p=none")] });
  });

  test("an update whose RRset was changed outside Pulumi is refused, nothing changed", async () => {
    const olds = { ...base, rrsets: [rr("mx2.example.com", "A", "192.0.2.20")] };
    await p.create(olds);
    await expect(p.update("id", { ...base, rrsets: [rr("mx2.example.com", "A", "192.0.2.99")] }, { ...base, rrsets: [rr("mx2.example.com", "A", "192.0.2.21")] })).rejects.toThrow(/changed or removed outside Pulumi/);
    expect((await live("mx2.example.com", "A")).values).toEqual(["192.0.2.20"]);
  });

  test("delete removes exactly its RRset values; read then reports it gone", async () => {
    const inputs = { ...base, rrsets: [rr("gone.example.com", "A", "192.0.2.50")] };
    await p.create(inputs);
    await p.delete("id", inputs);
    expect((await live("gone.example.com", "A")).values).toEqual([]);
    expect((await p.read("id", inputs)).id).toBe("");
  });

  test("a resource of the layout before 0.2 leaves its record set on delete (the new layout has taken it over)", async () => {
    const legacy = rfc2136Provider as Required<typeof rfc2136Provider>;
    await p.create({ ...base, rrsets: [rr("kept.example.com", "A", "192.0.2.80")] });
    await legacy.delete("id", { ...base, rrset: rr("kept.example.com", "A", "192.0.2.80") });
    expect((await live("kept.example.com", "A")).values).toEqual(["192.0.2.80"]);
  });

  test("a wrong key fails cleanly (BADSIG/BADKEY), nothing changed; a re-run with the right key converges", async () => {
    const inputs = { ...base, rrsets: [rr("wrongkey.example.com", "A", "192.0.2.60")] };
    await expect(p.create({ ...inputs, keySecret: Buffer.from("not the key").toString("base64") })).rejects.toThrow(/rejected TSIG key "maildns-test-key" \(BAD(SIG|KEY)\)/);
    await expect(p.create({ ...inputs, keyName: "other-key" })).rejects.toThrow(/rejected TSIG key "other-key" \(BAD(SIG|KEY)\)/);
    expect((await live("wrongkey.example.com", "A")).values).toEqual([]);
    await p.create(inputs);
    expect((await live("wrongkey.example.com", "A")).values).toEqual(["192.0.2.60"]);
  });

  test("a zone the server does not serve is NOTAUTH", async () => {
    await expect(p.create({ ...base, zone: "example.org", rrsets: [rr("x.example.org", "A", "192.0.2.1")] })).rejects.toThrow(/not authoritative for example.org/);
  });

  test("a stopped server fails cleanly and changes nothing; a re-run after it is back converges", async () => {
    const port = bind.port;
    await bind.stop();
    const inputs = { ...base, timeoutMs: 1000, rrsets: [rr("late.example.com", "A", "192.0.2.70")] };
    await expect(p.create(inputs)).rejects.toThrow(/late\.example\.com A: the server did not answer \(\w+\); nothing was changed/);
    bind = await startBind([{ name: "example.com", dynamic: true }], { port });
    await p.create({ ...inputs, keySecret: bind.key.secret });
    expect((await live("late.example.com", "A")).values).toEqual(["192.0.2.70"]);
  }, 30000);
});

run("rfc2136 null MX on the wire", () => {
  test("a null MX (RFC 7505) is written and read back as 0 .", async () => {
    const server = await startBind([{ name: "example.org", dynamic: true }]);
    try {
      const inputs = { server: server.address, zone: "example.org", keyName: server.key.name, keySecret: server.key.secret, timeoutMs: 3000, rrsets: [{ name: "example.org", type: "MX", ttl: 300, values: ["0 ."] }] };
      await p.create(inputs);
      expect((await queryRrset(server.address, "example.org", "MX", 3000)).values).toEqual(["0 ."]);
      expect(execFileSync("dig", ["+short", "-p", String(server.port), "@127.0.0.1", "MX", "example.org"], { encoding: "utf8" }).trim()).toBe("0 .");
    } finally {
      await server.stop();
    }
  });
});

run("rfc2136 TSIG time check", () => {
  test("a message signed with a clock an hour off is refused with BADTIME (RFC 8945 §5.2.3)", async () => {
    const server = await startBind([{ name: "example.org", dynamic: true }]);
    try {
      const key = { name: server.key.name, secret: server.key.secret };
      const msg = buildUpdate(4242, "example.org", [], [{ kind: "add", rrset: { name: "t.example.org", type: "A", ttl: 300, values: ["192.0.2.1"] } }]);
      const { message, mac } = signTsig(msg, key, Math.floor(Date.now() / 1000) - 3600);
      const r = parseReply(await exchangeTcp(server.address, message, 3000), key, mac);
      expect(r.rcode).toBe("NOTAUTH");
      expect(r.tsigError).toBe("BADTIME");
      expect((await queryRrset(server.address, "t.example.org", "A", 3000)).values).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

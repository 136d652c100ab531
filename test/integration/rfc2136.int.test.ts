import { execFileSync } from "node:child_process";
import { BindServer, haveBind, startBind } from "../helpers/bind";
import { Rfc2136Inputs, rfc2136Provider } from "../../zones/rfc2136-provider";
import { buildUpdate, exchangeTcp, parseReply, queryRrset, signTsig } from "../../zones/dnsupdate";

/**
 * The rfc2136 backend against a real BIND on a loopback port, with a TSIG
 * key: create, update, delete, no clobbering, failures that change nothing.
 */
const run = haveBind() ? describe : describe.skip;
if (!haveBind()) console.warn("skipping the RFC 2136 integration tests: BIND (named) is not installed");
const p = rfc2136Provider as Required<typeof rfc2136Provider>;

run("rfc2136 backend against BIND", () => {
  let bind: BindServer;
  let base: Omit<Rfc2136Inputs, "rrset">;
  const long = `v=DKIM1; k=rsa; p=${"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".padEnd(392, "Q")}`;
  beforeAll(async () => {
    bind = await startBind([{ name: "example.com", dynamic: true }]);
    base = { server: bind.address, zone: "example.com", keyName: bind.key.name, keySecret: bind.key.secret, timeoutMs: 3000 };
  }, 30000);
  afterAll(async () => bind?.stop());

  const live = (name: string, type: string) => queryRrset(bind.address, name, type, 3000);
  const dig = (name: string, type: string) => execFileSync("dig", ["+short", "-p", String(bind.port), "@127.0.0.1", type, name], { encoding: "utf8" }).trim();

  test("create adds the RRset, TXT over 255 octets split correctly", async () => {
    const inputs = { ...base, rrset: { name: "s1._domainkey.example.com", type: "TXT", ttl: 300, values: [long] } };
    const r = await p.create(inputs);
    expect(r.id).toBe("example.com/s1._domainkey.example.com/TXT");
    expect((await live("s1._domainkey.example.com", "TXT")).values).toEqual([long]);
    const strings = dig("s1._domainkey.example.com", "TXT").match(/"[^"]*"/g) ?? [];
    expect(strings.map((s) => s.length - 2)).toEqual([255, long.length - 255]);
    // BIND refuses an in-zone MX target without addresses: the hosts go first.
    await p.create({ ...base, rrset: { name: "mxa.example.com", type: "A", ttl: 300, values: ["192.0.2.1"] } });
    await p.create({ ...base, rrset: { name: "mxb.example.com", type: "AAAA", ttl: 300, values: ["2001:db8::1"] } });
    const mx = { ...base, rrset: { name: "example.com", type: "MX", ttl: 300, values: ["10 mxa.example.com.", "20 mxb.example.com."] } };
    await p.create(mx);
    expect((await live("example.com", "MX")).values.sort()).toEqual(["10 mxa.example.com.", "20 mxb.example.com."]);
  });

  test("update replaces the RRset in one message; read sees it (refresh)", async () => {
    const olds = { ...base, rrset: { name: "mx1.example.com", type: "A", ttl: 300, values: ["192.0.2.10"] } };
    await p.create(olds);
    const news = { ...olds, rrset: { ...olds.rrset, values: ["192.0.2.11", "192.0.2.12"] } };
    expect((await p.diff("id", olds, news)).replaces).toEqual([]);
    await p.update("id", olds, news);
    expect((await live("mx1.example.com", "A")).values.sort()).toEqual(["192.0.2.11", "192.0.2.12"]);
    const read = await p.read("id", news);
    expect(read.props?.rrset.values.sort()).toEqual(["192.0.2.11", "192.0.2.12"]);
  });

  test("a record set someone else owns is not clobbered: clear error, the other record intact", async () => {
    const theirs = { ...base, rrset: { name: "_dmarc.example.com", type: "TXT", ttl: 300, values: ["v=DMARC1; p=none"] } };
    await p.create(theirs);
    const ours = { ...base, rrset: { ...theirs.rrset, values: ["v=DMARC1; p=reject"] } };
    await expect(p.create(ours)).rejects.toThrow(/already exists and is not managed by this stack/);
    expect((await live("_dmarc.example.com", "TXT")).values).toEqual(["v=DMARC1; p=none"]);
  });

  test("an update whose RRset was changed outside Pulumi is refused", async () => {
    const olds = { ...base, rrset: { name: "mx2.example.com", type: "A", ttl: 300, values: ["192.0.2.20"] } };
    await p.create(olds);
    await expect(p.update("id", { ...olds, rrset: { ...olds.rrset, values: ["192.0.2.99"] } }, { ...olds, rrset: { ...olds.rrset, values: ["192.0.2.21"] } })).rejects.toThrow(/changed or removed outside Pulumi/);
    expect((await live("mx2.example.com", "A")).values).toEqual(["192.0.2.20"]);
  });

  test("delete removes exactly its RRset values; read then reports it gone", async () => {
    const inputs = { ...base, rrset: { name: "gone.example.com", type: "A", ttl: 300, values: ["192.0.2.50"] } };
    await p.create(inputs);
    await p.delete("id", inputs);
    expect((await live("gone.example.com", "A")).values).toEqual([]);
    expect((await p.read("id", inputs)).id).toBe("");
  });

  test("a wrong key fails cleanly (BADSIG/BADKEY), nothing changed; a re-run with the right key converges", async () => {
    const inputs = { ...base, rrset: { name: "wrongkey.example.com", type: "A", ttl: 300, values: ["192.0.2.60"] } };
    await expect(p.create({ ...inputs, keySecret: Buffer.from("not the key").toString("base64") })).rejects.toThrow(/rejected TSIG key "maildns-test-key" \(BAD(SIG|KEY)\)/);
    await expect(p.create({ ...inputs, keyName: "other-key" })).rejects.toThrow(/rejected TSIG key "other-key" \(BAD(SIG|KEY)\)/);
    expect((await live("wrongkey.example.com", "A")).values).toEqual([]);
    await p.create(inputs);
    expect((await live("wrongkey.example.com", "A")).values).toEqual(["192.0.2.60"]);
  });

  test("a zone the server does not serve is NOTAUTH", async () => {
    await expect(p.create({ ...base, zone: "example.org", rrset: { name: "x.example.org", type: "A", ttl: 300, values: ["192.0.2.1"] } })).rejects.toThrow(/not authoritative for example.org/);
  });

  test("a stopped server fails cleanly and changes nothing; a re-run after it is back converges", async () => {
    const port = bind.port;
    const dir = bind.dir;
    await bind.stop();
    const inputs = { ...base, timeoutMs: 1000, rrset: { name: "late.example.com", type: "A", ttl: 300, values: ["192.0.2.70"] } };
    await expect(p.create(inputs)).rejects.toThrow(/did not answer .*nothing was changed/);
    void dir;
    bind = await startBind([{ name: "example.com", dynamic: true }], { port });
    await p.create({ ...inputs, keySecret: bind.key.secret });
    expect((await live("late.example.com", "A")).values).toEqual(["192.0.2.70"]);
  }, 30000);
});

run("rfc2136 null MX on the wire", () => {
  test("a null MX (RFC 7505) is written and read back as 0 .", async () => {
    const server = await startBind([{ name: "example.org", dynamic: true }]);
    try {
      const inputs = { server: server.address, zone: "example.org", keyName: server.key.name, keySecret: server.key.secret, timeoutMs: 3000, rrset: { name: "example.org", type: "MX", ttl: 300, values: ["0 ."] } };
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

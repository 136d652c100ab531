import { check, goodDomain, rr, summary } from "../../helpers/rules";

describe("mail-host-public-address", () => {
  test("passes public and documentation addresses of mail hosts, and a private address of a host that is no MX target", () => {
    expect(check("mail-host-public-address", [...goodDomain, rr("intranet.example.com", "A", "10.0.0.80")])).toEqual([]);
    expect(check("mail-host-public-address", [rr("example.com", "MX", "10 mx.example.com."), rr("mx.example.com", "A", "8.8.4.4"), rr("mx.example.com", "AAAA", "2001:db8::25")])).toEqual([]);
  });

  test("flags private, carrier-grade NAT, loopback, link-local and unique local addresses of MX hosts, each once", () => {
    const f = check("mail-host-public-address", [
      rr("example.com", "MX", "10 mx1.example.com."),
      rr("example.com", "MX", "20 mx2.example.com."),
      rr("mx1.example.com", "A", "10.0.0.5", "192.168.1.5", "100.64.0.5"),
      rr("mx2.example.com", "A", "127.0.0.1", "169.254.0.5"),
      rr("mx2.example.com", "AAAA", "fd00::25", "::ffff:172.16.0.5"),
    ]);
    expect(summary(f)).toEqual([
      "mail-host-public-address mx1.example.com A warning",
      "mail-host-public-address mx1.example.com A warning",
      "mail-host-public-address mx1.example.com A warning",
      "mail-host-public-address mx2.example.com A warning",
      "mail-host-public-address mx2.example.com A warning",
      "mail-host-public-address mx2.example.com AAAA warning",
      "mail-host-public-address mx2.example.com AAAA warning",
    ]);
    expect(f[0]?.message).toBe("10.0.0.5, an address of mail host mx1.example.com, is a private address (RFC 1918): senders on the Internet cannot reach it");
    expect(f.map((x) => x.message.split(", ")[0])).toEqual(["10.0.0.5", "192.168.1.5", "100.64.0.5", "127.0.0.1", "169.254.0.5", "fd00::25", "::ffff:172.16.0.5"]);
  });
});

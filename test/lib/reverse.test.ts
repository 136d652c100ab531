import { addressFromPtrName, ptrName } from "../../lib/reverse";
import { MailDnsError } from "../../lib/errors";

describe("reverse names (RFC 1035 §3.5, RFC 3596 §2.5)", () => {
  test("IPv4", () => {
    expect(ptrName("192.0.2.10")).toBe("10.2.0.192.in-addr.arpa");
    expect(addressFromPtrName("10.2.0.192.in-addr.arpa.")).toBe("192.0.2.10");
  });
  test("IPv6: the example of RFC 3596 §2.5", () => {
    // 4321:0:1:2:3:4:567:89ab
    expect(ptrName("4321:0:1:2:3:4:567:89ab")).toBe("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa");
    expect(addressFromPtrName("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.IP6.ARPA")).toBe("4321:0:1:2:3:4:567:89ab");
  });
  test("bad input", () => {
    expect(() => ptrName("192.0.2")).toThrow(MailDnsError);
    expect(() => ptrName("127.1")).toThrow(MailDnsError);
    expect(addressFromPtrName("2.0.192.in-addr.arpa")).toBeUndefined();
    expect(addressFromPtrName("example.com")).toBeUndefined();
  });
});

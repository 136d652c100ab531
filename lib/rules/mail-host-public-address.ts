import ipaddr from "ipaddr.js";
import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { mailHostAddresses } from "./select";

/**
 * Ranges no sender on the Internet reaches (RFC 6890's special-purpose
 * registry, as ipaddr.js names them). Documentation ranges (192.0.2.0/24,
 * 2001:db8::/32, RFC 5737 / RFC 3849) are left alone: they are what examples use.
 */
const UNREACHABLE: Record<string, string> = {
  private: "a private address (RFC 1918)",
  loopback: "a loopback address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a carrier-grade NAT address (RFC 6598)",
  uniqueLocal: "a unique local address (RFC 4193)",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
};

/** Where a mail host's address cannot be reached from the Internet, what it is. */
function unreachable(ip: string): string | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  return UNREACHABLE[addr.range()];
}

/** An MX host published with an address that senders on the Internet cannot connect to. */
export default defineRule({
  id: "mail-host-public-address",
  severity: "warning",
  rfc: "RFC 6890 §2.2, RFC 1918 §3, RFC 5321 §5.1",
  summary: "a mail host's address is reachable from the Internet",
  consequence: "senders on the Internet cannot connect to a private or special-purpose address: they defer the mail and bounce it after days (a split-horizon or private zone is the exception)",
  check(view) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const { host, ip } of mailHostAddresses(view)) {
      const what = unreachable(ip);
      if (!what || seen.has(`${host} ${ip}`)) continue;
      seen.add(`${host} ${ip}`);
      out.push(report(this, `${host} ${ip.includes(":") ? "AAAA" : "A"}`, `${ip}, an address of mail host ${host}, is ${what}: senders on the Internet cannot reach it`, {
        hint: "publish the host's public address (the one its NAT or load balancer receives SMTP on); keep private addresses to a private zone, where this rule can be switched off",
      }));
    }
    return out;
  },
});

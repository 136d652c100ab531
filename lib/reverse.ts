import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { MailDnsError } from "./errors";

/**
 * An address written in reverse, the way reverse DNS and DNS blocklists name
 * it: octets for IPv4, nibbles for IPv6 (RFC 1035 §3.5, RFC 3596 §2.5, RFC 5782 §2.1, §2.4).
 */
export function reversedLabels(ip: string, field = "ip"): { kind: "ipv4" | "ipv6"; labels: string } {
  // net.isIP is strict (no "127.1", octal or hex forms that ipaddr.parse also takes).
  if (typeof ip !== "string" || isIP(ip) === 0) {
    throw new MailDnsError("invalid-address", "not an IP address", { field, value: ip, rfc: "RFC 1035 §3.5" });
  }
  const addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv4") return { kind: "ipv4", labels: addr.toByteArray().reverse().join(".") };
  const nibbles = addr.toByteArray().flatMap((b) => [b >> 4, b & 15]).map((n) => n.toString(16));
  return { kind: "ipv6", labels: nibbles.reverse().join(".") };
}

/** Reverse-mapping names (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa). */
export function ptrName(ip: string, field = "ip"): string {
  const r = reversedLabels(ip, field);
  return `${r.labels}.${r.kind === "ipv4" ? "in-addr.arpa" : "ip6.arpa"}`;
}

/** The address a full-length reverse name stands for, or undefined. */
export function addressFromPtrName(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, "");
  let m = /^((?:[0-9]{1,3}\.){3}[0-9]{1,3})\.in-addr\.arpa$/.exec(n);
  if (m) {
    const ip = (m[1] as string).split(".").reverse().join(".");
    return ipaddr.IPv4.isValidFourPartDecimal(ip) ? ip : undefined;
  }
  m = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (m) {
    const hex = (m[1] as string).split(".").filter(Boolean).reverse().join("");
    const groups = hex.match(/.{4}/g) as string[];
    return ipaddr.parse(groups.join(":")).toString();
  }
  return undefined;
}

/** Canonical text form of an address (RFC 5952 for IPv6). */
export function canonicalAddress(ip: string): string {
  return ipaddr.parse(ip).toString();
}

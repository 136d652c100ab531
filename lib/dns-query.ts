import * as dgram from "node:dgram";
import { isIP } from "node:net";
import * as packet from "dns-packet";
import { dnsError } from "./resolver";

/**
 * One DNS question over UDP with dns-packet, for record types node's
 * resolver does not ask (TLSA before Node 22.15): EDNS0 with the DNSSEC OK
 * bit and the AD bit set (RFC 6840 §5.7), so the answer tells whether it is
 * signed — a validating resolver sets AD, an authoritative server of a
 * signed zone adds RRSIGs. Failures reject with node's DNS error codes
 * (ENOTFOUND, ENODATA, ESERVFAIL, EREFUSED, ETIMEOUT, EBADRESP).
 */
export interface RawAnswer {
  /** The answers of the asked type at the asked name (CNAMEs followed by the server). */
  answers: { type: string; name: string; ttl?: number; data: unknown }[];
  /** The answer is DNSSEC-signed: the AD bit, or RRSIGs covering the type. */
  signed: boolean;
}

const RCODE_ERRORS: Record<string, string> = { NXDOMAIN: "ENOTFOUND", SERVFAIL: "ESERVFAIL", REFUSED: "EREFUSED", FORMERR: "EFORMERR", NOTIMP: "ENOTIMP" };

/** "127.0.0.1:5353", "[::1]:53", "::1", "192.0.2.53" → host and port. */
export function splitServer(server: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(server) ?? (server.split(":").length > 2 ? [server, server, undefined] : /^([^:]+)(?::(\d+))?$/.exec(server));
  return { host: (m?.[1] as string | undefined) ?? server, port: m?.[2] ? Number(m[2]) : 53 };
}

export async function queryUdp(server: string, name: string, type: string, opts: { timeoutMs?: number; tries?: number } = {}): Promise<RawAnswer> {
  const { host, port } = splitServer(server);
  const qname = name.replace(/\.$/, "");
  const syscall = `query${type[0]}${type.slice(1).toLowerCase()}`;
  const tries = opts.tries ?? 2;
  const timeout = opts.timeoutMs ?? 2000;
  let reply: { rcode?: string; flags?: number; answers?: { type: string; name: string; ttl?: number; data: unknown }[] } | undefined;
  for (let attempt = 0; attempt < tries && !reply; attempt++) {
    const id = Math.floor(Math.random() * 65535);
    const msg: Buffer = packet.encode({
      type: "query", id, flags: packet.RECURSION_DESIRED | packet.AUTHENTIC_DATA,
      questions: [{ type: type as packet.RecordType, class: "IN", name: qname }],
      // EDNS0 (RFC 6891) with DO (RFC 3225); the typings want every OPT field, the encoder these.
      additionals: [{ type: "OPT", name: ".", udpPayloadSize: 1232, flags: packet.DNSSEC_OK } as unknown as packet.Answer],
    });
    reply = await new Promise((resolve, reject) => {
      const sock = dgram.createSocket(isIP(host) === 6 ? "udp6" : "udp4");
      const done = (f: () => void) => { clearTimeout(timer); sock.close(); f(); };
      const timer = setTimeout(() => done(() => resolve(undefined)), timeout);
      sock.on("error", (e) => done(() => reject(Object.assign(e, { code: (e as { code?: string }).code ?? "ECONNREFUSED" }))));
      sock.on("message", (buf: Buffer) => {
        let d: { id?: number; rcode?: string; flags?: number; flag_tc?: boolean };
        try {
          d = packet.decode(buf) as typeof d;
        } catch {
          return done(() => reject(dnsError("EBADRESP", syscall, name)));
        }
        if (d.id !== id) return; // not ours
        // A truncated answer is not read as complete (TCP is not tried here).
        if (d.flag_tc) return done(() => reject(dnsError("EBADRESP", syscall, name)));
        done(() => resolve(d));
      });
      sock.send(msg, port, host);
    });
  }
  if (!reply) throw dnsError("ETIMEOUT", syscall, name);
  const rcode = reply.rcode ?? "NOERROR";
  if (rcode !== "NOERROR") throw dnsError(RCODE_ERRORS[rcode] ?? "EBADRESP", syscall, name);
  const all = reply.answers ?? [];
  const answers = all.filter((a) => a.type === type);
  if (answers.length === 0) throw dnsError("ENODATA", syscall, name);
  const ad = ((reply.flags ?? 0) & packet.AUTHENTIC_DATA) !== 0;
  const rrsig = all.some((a) => a.type === "RRSIG" && (a.data as { typeCovered?: string } | undefined)?.typeCovered === type);
  return { answers, signed: ad || rrsig };
}

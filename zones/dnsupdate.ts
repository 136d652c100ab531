/**
 * DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945, hmac-sha256), over TCP.
 * No npm package does TSIG, so signing and verifying are written here on
 * node:crypto. dns-packet encodes names and RDATA; the sections it cannot
 * express (class NONE prerequisites, class ANY deletions with empty RDATA)
 * are written by hand. dns-packet's per-type codecs (packet.a, packet.txt, …)
 * are not in its type definitions, so it is required untyped.
 */
export interface TsigKey {
  name: string;
  /** base64 secret. */
  secret: string;
  algorithm?: "hmac-sha256";
}

export interface Rr {
  name: string;
  type: string;
  ttl: number;
  /** Presentation-form values; TXT values unsplit. */
  values: string[];
}

export type Prerequisite = { kind: "rrset-absent"; name: string; type: string } | { kind: "rrset-equals"; rrset: Rr };
export type UpdateOp = { kind: "add"; rrset: Rr } | { kind: "delete-rrset"; name: string; type: string } | { kind: "delete-values"; rrset: Rr };

const TYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, TLSA: 52, TSIG: 250 };
const CLASS = { IN: 1, NONE: 254, ANY: 255 };
const RCODES: Record<number, string> = { 0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE" };
const TSIG_ERRORS: Record<number, string> = { 16: "BADSIG", 17: "BADKEY", 18: "BADTIME", 22: "BADTRUNC" };

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function wireName(name: string): Buffer {
  const packet = require("dns-packet");
  return packet.name.encode(name.toLowerCase().replace(/\.$/, ""));
}

/** RDATA (with its 16-bit length) of one presentation-form value. */
export function rdata(type: string, value: string): Buffer {
  const packet = require("dns-packet");
  switch (type) {
    case "A": return packet.a.encode(value);
    case "AAAA": return packet.aaaa.encode(value);
    case "CNAME": return packet.cname.encode(value.replace(/\.$/, ""));
    case "PTR": return packet.ptr.encode(value.replace(/\.$/, ""));
    case "NS": return packet.ns.encode(value.replace(/\.$/, ""));
    case "MX": {
      const [pref, host] = value.trim().split(/\s+/);
      // The null MX target is the root, written "." (dns-packet writes a corrupt RDATA for "").
      const exchange = host === undefined || host === "." ? "." : host.replace(/\.$/, "");
      return packet.mx.encode({ preference: Number(pref), exchange });
    }
    case "TXT": {
      // dns-packet corrupts strings over 255 octets: split first, never inside a character.
      const strings: Buffer[] = [];
      let cur: number[] = [];
      for (const ch of value) {
        const bytes = [...Buffer.from(ch, "utf8")];
        if (cur.length + bytes.length > 255) {
          strings.push(Buffer.from(cur));
          cur = [];
        }
        cur.push(...bytes);
      }
      strings.push(Buffer.from(cur));
      return packet.txt.encode(strings);
    }
    case "TLSA": {
      // RFC 6698 §2.1: usage, selector and matching-type octets, then the association data.
      const [usage, selector, matchingType, ...hex] = value.trim().split(/\s+/);
      const data = hex.join("");
      const octet = (s: string | undefined) => (s !== undefined && /^[0-9]{1,3}$/.test(s) && Number(s) <= 255 ? Number(s) : NaN);
      if ([usage, selector, matchingType].some((s) => Number.isNaN(octet(s))) || !/^([0-9a-fA-F]{2})+$/.test(data)) {
        throw new Error(`TLSA value "${value.slice(0, 60)}" is not "usage selector matching-type hex" (RFC 6698 §2.2)`);
      }
      return packet.tlsa.encode({ usage: octet(usage), selector: octet(selector), matchingType: octet(matchingType), certificate: Buffer.from(data, "hex") });
    }
    default:
      throw new Error(`record type ${type} is not supported by the rfc2136 backend`);
  }
}

function rr(name: string, type: number, klass: number, ttl: number, data: Buffer): Buffer {
  return Buffer.concat([wireName(name), u16(type), u16(klass), u32(ttl), data]);
}

/** Empty RDATA (length 0). A function, not a constant: Buffers do not survive closure serialisation. */
function emptyRdata(): Buffer {
  return Buffer.alloc(2);
}

/** The unsigned UPDATE message. */
export function buildUpdate(id: number, zone: string, prereqs: Prerequisite[], ops: UpdateOp[]): Buffer {
  const typeOf = (t: string) => {
    const n = TYPES[t];
    if (n === undefined) throw new Error(`record type ${t} is not supported by the rfc2136 backend`);
    return n;
  };
  const pre = prereqs.flatMap((p) =>
    p.kind === "rrset-absent"
      ? [rr(p.name, typeOf(p.type), CLASS.NONE, 0, emptyRdata())] // RFC 2136 §2.4.3
      : p.rrset.values.map((v) => rr(p.rrset.name, typeOf(p.rrset.type), CLASS.IN, 0, rdata(p.rrset.type, v))), // §2.4.2
  );
  const upd = ops.flatMap((o) => {
    switch (o.kind) {
      case "add": return o.rrset.values.map((v) => rr(o.rrset.name, typeOf(o.rrset.type), CLASS.IN, o.rrset.ttl, rdata(o.rrset.type, v))); // §2.5.1
      case "delete-rrset": return [rr(o.name, typeOf(o.type), CLASS.ANY, 0, emptyRdata())]; // §2.5.2
      case "delete-values": return o.rrset.values.map((v) => rr(o.rrset.name, typeOf(o.rrset.type), CLASS.NONE, 0, rdata(o.rrset.type, v))); // §2.5.4
    }
  });
  const header = Buffer.concat([u16(id), u16(5 << 11), u16(1), u16(pre.length), u16(upd.length), u16(0)]);
  const zoneSection = Buffer.concat([wireName(zone), u16(TYPES.SOA as number), u16(CLASS.IN)]);
  return Buffer.concat([header, zoneSection, ...pre, ...upd]);
}

function tsigVariables(key: TsigKey, time: number, fudge: number, error: number, other: Buffer): Buffer {
  const t = Buffer.alloc(6);
  t.writeUIntBE(time, 0, 6);
  return Buffer.concat([wireName(key.name), u16(CLASS.ANY), u32(0), wireName(key.algorithm ?? "hmac-sha256"), t, u16(fudge), u16(error), u16(other.length), other]);
}

function hmac(key: TsigKey, data: Buffer): Buffer {
  const crypto = require("node:crypto");
  return crypto.createHmac("sha256", Buffer.from(key.secret, "base64")).update(data).digest();
}

/** Append a TSIG record (RFC 8945 §4.3); returns the message and its MAC. */
export function signTsig(msg: Buffer, key: TsigKey, now = Math.floor(Date.now() / 1000), fudge = 300): { message: Buffer; mac: Buffer } {
  const mac = hmac(key, Buffer.concat([msg, tsigVariables(key, now, fudge, 0, Buffer.alloc(0))]));
  const t = Buffer.alloc(6);
  t.writeUIntBE(now, 0, 6);
  const data = Buffer.concat([wireName(key.algorithm ?? "hmac-sha256"), t, u16(fudge), u16(mac.length), mac, msg.subarray(0, 2), u16(0), u16(0)]);
  const record = rr(key.name, TYPES.TSIG as number, CLASS.ANY, 0, Buffer.concat([u16(data.length), data]));
  const out = Buffer.concat([msg, record]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10); // ARCOUNT
  return { message: out, mac };
}

export interface UpdateResult {
  rcode: string;
  tsigError?: string;
  /** The reply carried a TSIG record whose MAC verified with our key. */
  verified: boolean;
}

/** Skip one name in wire format (labels or a compression pointer). */
function skipName(b: Buffer, off: number): number {
  for (;;) {
    const len = b[off] as number;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
}

/** Read the rcode and check the reply's TSIG (RFC 8945 §5.3) against the request MAC. */
export function parseReply(reply: Buffer, key: TsigKey, requestMac: Buffer): UpdateResult {
  const rcode = RCODES[reply.readUInt16BE(2) & 0xf] ?? String(reply.readUInt16BE(2) & 0xf);
  const counts = [4, 6, 8, 10].map((o) => reply.readUInt16BE(o));
  let off = 12;
  for (let i = 0; i < (counts[0] as number); i++) off = skipName(reply, off) + 4;
  const skipRr = (o: number) => {
    const n = skipName(reply, o);
    return n + 10 + reply.readUInt16BE(n + 8);
  };
  for (let i = 0; i < (counts[1] as number) + (counts[2] as number) + (counts[3] as number) - 1; i++) off = skipRr(off);
  if ((counts[3] as number) === 0) return { rcode, verified: false };
  const tsigStart = off;
  const afterName = skipName(reply, off);
  if (reply.readUInt16BE(afterName) !== TYPES.TSIG) return { rcode, verified: false };
  let p = skipName(reply, afterName + 10); // algorithm name
  const time = reply.readUIntBE(p, 6);
  const fudge = reply.readUInt16BE(p + 6);
  const macSize = reply.readUInt16BE(p + 8);
  const mac = reply.subarray(p + 10, p + 10 + macSize);
  p += 10 + macSize;
  const originalId = reply.readUInt16BE(p);
  const error = reply.readUInt16BE(p + 2);
  const otherLen = reply.readUInt16BE(p + 4);
  const other = reply.subarray(p + 6, p + 6 + otherLen);
  const tsigError = TSIG_ERRORS[error] ?? (error ? String(error) : undefined);
  if (macSize === 0) return { rcode, tsigError, verified: false };
  const unsigned = Buffer.from(reply.subarray(0, tsigStart));
  unsigned.writeUInt16BE(originalId, 0);
  unsigned.writeUInt16BE((counts[3] as number) - 1, 10);
  const expected = hmac(key, Buffer.concat([u16(requestMac.length), requestMac, unsigned, tsigVariables(key, time, fudge, error, other)]));
  const crypto = require("node:crypto");
  const verified = expected.length === mac.length && crypto.timingSafeEqual(expected, mac);
  return { rcode, tsigError, verified };
}

/** Send one DNS message over TCP (2-octet length prefix) and return the reply. */
export function exchangeTcp(server: string, message: Buffer, timeoutMs: number): Promise<Buffer> {
  const net = require("node:net");
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(server) ?? /^([^:]+):(\d+)$/.exec(server);
  const host = m ? (m[1] as string) : server;
  const port = m ? Number(m[2]) : 53;
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(Object.assign(new Error(`no answer from ${server} within ${timeoutMs} ms`), { code: "ETIMEOUT" }));
    }, timeoutMs);
    sock.on("connect", () => sock.write(Buffer.concat([u16(message.length), message])));
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.end();
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
    sock.on("error", (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** A plain query over TCP: the values of one RRset in presentation form (TXT joined). */
export async function queryRrset(server: string, name: string, type: string, timeoutMs: number): Promise<{ rcode: string; ttl?: number; values: string[] }> {
  const packet = require("dns-packet");
  const msg = packet.encode({ type: "query", id: Math.floor(Math.random() * 65535), flags: 0, questions: [{ type, class: "IN", name: name.replace(/\.$/, "") }] });
  const reply = packet.decode(await exchangeTcp(server, msg, timeoutMs));
  const answers = (reply.answers ?? []).filter((a: { type: string; name: string }) => a.type === type && a.name.toLowerCase() === name.toLowerCase().replace(/\.$/, ""));
  const fmt = (a: { data: unknown }): string => {
    switch (type) {
      case "TXT": return (a.data as Buffer[]).map((b) => b.toString("utf8")).join("");
      case "MX": { const d = a.data as { preference: number; exchange: string }; return `${d.preference} ${d.exchange === "" || d.exchange === "." ? "." : `${d.exchange.toLowerCase()}.`}`; }
      case "CNAME": case "PTR": case "NS": return `${String(a.data).toLowerCase()}.`;
      case "TLSA": { const d = a.data as { usage: number; selector: number; matchingType: number; certificate: Buffer }; return `${d.usage} ${d.selector} ${d.matchingType} ${d.certificate.toString("hex")}`; }
      default: return String(a.data);
    }
  };
  return { rcode: reply.rcode ?? "NOERROR", ttl: answers[0]?.ttl, values: answers.map(fmt) };
}

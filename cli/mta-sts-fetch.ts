import { request } from "node:https";
import type { LookupFunction } from "node:net";
import { mtaStsHost, POLICY_SIZE_LIMIT } from "../lib/mta-sts";
import type { DnsResolver } from "../lib/resolver";

/**
 * Fetches a domain's MTA-STS policy the way RFC 8461 §3.3 tells senders to:
 * HTTPS to mta-sts.<domain> (its address from the same DNS the rest of
 * verify asks), a certificate valid for that name, status 200 only (no
 * redirects), Content-Type text/plain, at most 64 KiB.
 */
export interface FetchOptions {
  resolver: DnsResolver;
  /** CA certificates (PEM) to trust instead of Node's bundle: a test CA, a private PKI. */
  ca?: string;
  port?: number;
  timeoutMs: number;
}

export interface PolicyFetch {
  text?: string;
  error?: string;
  /** invalid: what the server answers is unusable (senders then have no policy); unreachable: no answer to judge. */
  kind?: "invalid" | "unreachable";
}

const UNREACHABLE = new Set(["ETIMEDOUT", "ETIMEOUT", "ENETUNREACH", "EHOSTUNREACH", "EAI_AGAIN", "ESERVFAIL", "ECONNRESET"]);

export async function fetchMtaStsPolicy(domain: string, opts: FetchOptions): Promise<PolicyFetch> {
  const host = mtaStsHost(domain);
  let addresses: string[];
  try {
    addresses = await opts.resolver.resolve4(host);
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    if (code === "ENOTFOUND" || code === "ENODATA") return { error: `${host} has no address (${code}): the policy cannot be fetched`, kind: "invalid" };
    return { error: `${host} could not be resolved (${code || (e as Error).message})`, kind: "unreachable" };
  }
  const address = addresses[0];
  if (!address) return { error: `${host} has no IPv4 address`, kind: "invalid" };
  // Connect to the address verify's DNS gave; the certificate is checked against the name.
  const lookup = ((_h: string, o: { all?: boolean }, cb: (e: null, a: string | { address: string; family: number }[], f?: number) => void) =>
    o?.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4)) as unknown as LookupFunction;
  return new Promise((resolve) => {
    const req = request(
      { hostname: host, port: opts.port ?? 443, path: "/.well-known/mta-sts.txt", method: "GET", lookup, ...(opts.ca ? { ca: opts.ca } : {}), timeout: opts.timeoutMs, headers: { "user-agent": "maildns-verify" } },
      (res) => {
        const status = res.statusCode ?? 0;
        const type = String(res.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
        if (status !== 200) {
          res.resume();
          return resolve({ error: `HTTP ${status}${status >= 300 && status < 400 ? " (senders do not follow redirects, RFC 8461 §3.3)" : ""}`, kind: "invalid" });
        }
        if (type !== "text/plain") {
          res.resume();
          return resolve({ error: `Content-Type ${type || "(none)"}, not text/plain (RFC 8461 §3.2)`, kind: "invalid" });
        }
        let size = 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > POLICY_SIZE_LIMIT) {
            req.destroy();
            resolve({ error: `the policy is larger than ${POLICY_SIZE_LIMIT} octets`, kind: "invalid" });
          } else chunks.push(c);
        });
        res.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", (e: Error & { code?: string }) => {
      const code = e.code ?? "";
      resolve({ error: `https://${host}/.well-known/mta-sts.txt: ${code ? `${code} ` : ""}${e.message}`.trim(), kind: UNREACHABLE.has(code) ? "unreachable" : "invalid" });
    });
    req.end();
  });
}

import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { mxValues } from "./select";

/** Cloudflare's proxy carries HTTP only: a proxied mail host gets no SMTP. */
export default defineRule({
  id: "mail-host-not-proxied",
  severity: "error",
  rfc: "Cloudflare DNS docs (proxied records serve HTTP/HTTPS only)",
  summary: "a proxied (HTTP-only) address breaks SMTP",
  consequence: "the proxy answers with its own HTTP addresses, which accept no SMTP: senders cannot connect, defer the mail (4.4.1) and bounce it after days",
  check(view) {
    const out: Finding[] = [];
    const hosts = new Set(mxValues(view).flatMap((m) => (m.mx && m.mx.exchange !== "" ? [m.mx.exchange] : [])));
    for (const r of view.records) {
      if (!r.proxied) continue;
      if (r.type === "MX" || ((r.type === "A" || r.type === "AAAA" || r.type === "CNAME") && hosts.has(r.name))) {
        out.push(report(this, `${r.name} ${r.type}`, `${r.name} ${r.type} is proxied, but it is a mail host: SMTP cannot pass the HTTP proxy`, { hint: "set proxied: false" }));
      }
    }
    return out;
  },
});

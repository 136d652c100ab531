import { Finding } from "../finding";
import { parseDkim } from "../dkim";
import { defineRule, report } from "./rule";
import { dkimValues } from "./select";

/** RSA keys: at least 1024 bits (must), 2048 or more (should). */
export default defineRule({
  id: "dkim-key-size",
  severity: "error",
  rfc: "RFC 8301 §3.2",
  summary: "RSA keys of at least 1024 bits must, 2048 should",
  consequence: "verifiers treat signatures made with an RSA key under 1024 bits as failing (RFC 8301): dkim=permerror, and under an enforcing DMARC policy mail that relies on DKIM is rejected with 550 5.7.1 or quarantined",
  defaults: { minimumBits: 1024, recommendedBits: 2048 },
  check(view, { minimumBits, recommendedBits }) {
    const out: Finding[] = [];
    for (const d of dkimValues(view)) {
      const bits = parseDkim(d.value).record?.keyBits;
      if (bits === undefined) continue;
      if (bits < minimumBits) {
        out.push(report(this, `${d.name} TXT`, `the RSA key at ${d.name} has ${bits} bits; verifiers reject keys under ${minimumBits}`, { hint: "generate a 2048-bit key under a new selector" }));
      } else if (bits < recommendedBits) {
        out.push(report(this, `${d.name} TXT`, `the RSA key at ${d.name} has ${bits} bits; ${recommendedBits} or more is recommended`, { severity: "warning" }));
      }
    }
    return out;
  },
});

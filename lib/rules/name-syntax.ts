import { Finding } from "../finding";
import { isIP } from "node:net";
import { canonicalName, NAME_RFC, nameProblems } from "../names";
import { parseMx } from "../mx";
import { defineRule, report } from "./rule";

const HOST_TYPES = ["A", "AAAA"];

/** Owner names and the host names records point at are valid DNS names. */
export default defineRule({
  id: "name-syntax",
  severity: "error",
  rfc: NAME_RFC,
  summary: "labels of at most 63 octets, names of at most 253, letters/digits/hyphens (underscore labels where mail uses them)",
  consequence: "the DNS provider refuses the record, or receivers never query the name it was meant for",
  check(view) {
    const out: Finding[] = [];
    for (const r of view.records) {
      const ownerKind = HOST_TYPES.includes(r.type) ? "host" : "owner";
      for (const p of nameProblems(r.name, ownerKind)) out.push(report(this, `${r.name} ${r.type}`, `owner name "${r.name}": ${p}`));
      for (const v of r.values) {
        const target = r.type === "MX" ? parseMx(v)?.exchange : r.type === "CNAME" || r.type === "PTR" ? canonicalName(v) : undefined;
        // An address as an MX target is reported by mx-not-ip-literal.
        if (target === undefined || target === "" || isIP(target.replace(/^\[|\]$/g, "")) !== 0) continue;
        for (const p of nameProblems(target, "host")) out.push(report(this, `${r.name} ${r.type}`, `target "${target}": ${p}`));
      }
    }
    return out;
  },
});

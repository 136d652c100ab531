import type { Finding } from "./finding";
import { canonicalName } from "./names";

/**
 * BIMI (draft-brand-indicators-for-message-identification): the assertion
 * record `<selector>._bimi.<domain>` TXT `v=BIMI1; l=<https SVG>; a=<https PEM>`.
 * Written here: a few tags.
 */
export const BIMI_RFC = "draft-brand-indicators-for-message-identification §4.2";

export function bimiName(selector: string, domain: string): string {
  return `${selector.toLowerCase()}._bimi.${canonicalName(domain)}`;
}

export function isBimiRecord(txt: string): boolean {
  return /^v=BIMI1(\s*;|\s*$)/.test(txt);
}

export function buildBimi(l: string, a?: string): string {
  return `v=BIMI1; l=${l}${a ? `; a=${a}` : ""}`;
}

const HTTPS = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?\/\S*$/;

export function parseBimi(text: string, subject: string): { l?: string; a?: string; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (message: string) => findings.push({ ruleId: "bimi-record-syntax", severity: "error", subject, message, rfc: BIMI_RFC });
  const fields = text.split(/[ \t]*;[ \t]*/);
  if (fields[fields.length - 1] === "") fields.pop();
  if (fields[0] !== "v=BIMI1") {
    bad(`"${text}" does not start with v=BIMI1`);
    return { findings };
  }
  const tags: Record<string, string> = {};
  for (const f of fields.slice(1)) {
    const eq = f.indexOf("=");
    if (eq <= 0) {
      bad(`"${f}" is not tag=value`);
      continue;
    }
    const k = f.slice(0, eq).toLowerCase();
    if (k in tags) bad(`${k}= is given twice`);
    tags[k] = f.slice(eq + 1);
  }
  // l= may be empty (a declination to publish); when given, an https URL of the SVG logo.
  if (tags.l === undefined) bad("no l= (logo URL; empty to decline)");
  else if (tags.l !== "" && !HTTPS.test(tags.l)) bad(`l=${tags.l} is not an https: URL`);
  if (tags.a !== undefined && tags.a !== "" && !HTTPS.test(tags.a)) bad(`a=${tags.a} is not an https: URL`);
  return { l: tags.l, a: tags.a, findings };
}

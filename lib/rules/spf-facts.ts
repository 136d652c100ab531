import type { SpfAnalysis, SpfNode } from "../spf/analyze";
import { DomainView } from "../view";
import { spfValues } from "./select";

/** The analyses the caller collected for the view's SPF records (see lib/facts.ts). */
export function spfAnalyses(view: DomainView): { name: string; analysis: SpfAnalysis }[] {
  const names = [...new Set(spfValues(view).map((s) => s.name))];
  return names.flatMap((name) => {
    const analysis = view.facts.spf?.[name];
    return analysis ? [{ name, analysis }] : [];
  });
}

export function walk(node: SpfNode, visit: (n: SpfNode, path: string[]) => void, path: string[] = []): void {
  visit(node, path);
  for (const c of node.children) walk(c, visit, [...path, node.domain]);
}

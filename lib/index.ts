/** maildns rules library: pure mail-DNS knowledge, no Pulumi. */
export * from "./errors";
export * from "./finding";
export * from "./names";
export * from "./txt";
export * from "./resolver";
export * from "./records";
export * from "./view";
export * from "./facts";
export * as spf from "./spf";
export * as dmarc from "./dmarc";
export * as dkim from "./dkim";
export * as mx from "./mx";
export * as reverse from "./reverse";
export { rules, runRules, getRule } from "./rules";
export type { RunOptions } from "./rules";
export type { Rule } from "./rules/rule";

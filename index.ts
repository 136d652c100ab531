import * as pulumi from "@pulumi/pulumi";
import { runStack } from "./stack/program";
import { parseStackConfig } from "./stack/schema";

/**
 * The maildns stack program: `maildns:defaults` and `maildns:domains` from
 * the stack file → one MailDomain per domain. Each domain's records are
 * exported as plain data.
 */
const config = new pulumi.Config("maildns");
const stack = parseStackConfig(config.getObject("defaults"), config.getObject("domains"));

export const domains = runStack(stack);

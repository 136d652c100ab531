import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "./lib/errors";
import { readDomainsFile } from "./stack/domains-file";
import { runStack } from "./stack/program";
import { projectRoot } from "./zones/zonefile";
import { parseStackConfig } from "./stack/schema";

/**
 * The maildns stack program: `maildns:defaults` and `maildns:domains` from
 * the stack file → one MailDomain per domain. Each domain's records are
 * exported as plain data.
 */
const config = new pulumi.Config("maildns");
const domainsFile = config.get("domainsFile");
let stack;
if (domainsFile !== undefined) {
  if (config.getObject("domains") !== undefined) {
    throw new MailDnsError("invalid-config", "give the domains either in maildns:domains or in maildns:domainsFile, not both", { field: "maildns:domainsFile", value: domainsFile });
  }
  const file = readDomainsFile(domainsFile, projectRoot(), config.get("domainsGroup"));
  stack = parseStackConfig(config.getObject("defaults") ?? file.defaults, file.domains, `${domainsFile}: domains`);
} else {
  stack = parseStackConfig(config.getObject("defaults"), config.getObject("domains"));
}

export const domains = runStack(stack);

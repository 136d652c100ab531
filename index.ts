import * as pulumi from "@pulumi/pulumi";
import { MailDnsError } from "./lib/errors";
import { readDomainsFile } from "./stack/domains-file";
import { planStack } from "./stack/program";
import { projectRoot } from "./zones/zonefile";
import { parseStackConfig } from "./stack/schema";

/**
 * The maildns stack program: `maildns:defaults` and `maildns:domains` from
 * the stack file → one MailDomain per domain. Each domain's records are
 * exported as plain data.
 */

/**
 * Stack traces are formatted by V8 itself. The SDK's runner installs
 * source-map-support, which formats every stack trace the SDK captures (one
 * for each promise it makes, and one for each resource) by copying each frame
 * and looking it up in the source maps: about 6 ms a domain on a no-change
 * preview (400 domains: 10.0 s with it, 7.5 s without). This program is
 * maildns's compiled JavaScript and prints its errors without frames, so the
 * mapping bought nothing; the positions the state keeps for each resource
 * name the .js file and line instead of the .ts one.
 */
Reflect.deleteProperty(Error, "prepareStackTrace");
const config = new pulumi.Config("maildns");
const domainsFile = config.get("domainsFile");
let stack;
if (domainsFile !== undefined) {
  if (config.getObject("domains") !== undefined) {
    throw new MailDnsError("invalid-config", "give the domains either in maildns:domains or in maildns:domainsFile, not both", { field: "maildns:domainsFile", value: domainsFile });
  }
  const file = readDomainsFile(domainsFile, projectRoot(), config.get("domainsGroup"));
  stack = parseStackConfig(config.getObject("defaults") ?? file.defaults, file.domains, `${domainsFile}: domains`, file.positions);
} else {
  stack = parseStackConfig(config.getObject("defaults"), config.getObject("domains"));
}

// Every domain is checked before any resource is registered.
const register = planStack(stack);

/**
 * The resources are registered from a task of their own (setImmediate), not
 * from this module's body. The SDK stores each resource's stack trace in the
 * state; called from here it would also hold the frames of module loading and
 * of the SDK's runner (about 290 bytes a resource), which the file backend
 * rewrites at every checkpoint. From a task of
 * its own the trace keeps maildns's frames, where each resource is declared.
 * An error then rejects the exported promise, which the SDK reports as it
 * reports a thrown one; the empty catch keeps Node from warning that the
 * rejection was handled late.
 */
export const domains = new Promise<ReturnType<typeof register>>((resolve, reject) => {
  setImmediate(() => {
    try {
      resolve(register());
    } catch (e) {
      reject(e);
    }
  });
});
domains.catch(() => undefined);

import type * as pulumi from "@pulumi/pulumi";

/**
 * The dynamic providers' serialised form. Pulumi stores a dynamic provider's
 * code in the state of every resource it manages and runs it in a separate
 * process whose module paths start at the program's directory. Serialising
 * the real implementation would capture maildns's module layout (and fail
 * when maildns is installed as a package, folder or pnpm link) and cost tens
 * of kilobytes per resource; so the serialised provider is this small
 * delegate, which loads the implementation from maildns's own install:
 *
 * 1. the implementation file of the install that registered the resource
 *    (an absolute path, so its own dependencies such as node-forge resolve
 *    from maildns's node_modules whatever the program's layout);
 * 2. if that install has moved, `maildns/providers` resolved from the
 *    program's directory (the maildns the program depends on now).
 *
 * Everything the delegate captures is a string; it uses nothing from
 * `@pulumi/pulumi` at run time.
 */
export type ProviderKind = "dkimKey" | "zoneFile" | "zoneRecordSet" | "rfc2136";

/** What an implementation in zones/providers.ts defines: every method the delegate calls. */
export type ProviderImplementation = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">>;

/** The implementations module of this install (dist/zones/providers.js once built). */
const IMPLEMENTATION = require.resolve("./providers");

export function delegatingProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const implementation = IMPLEMENTATION;
  const load = (): ProviderImplementation => {
    const fs = require("node:fs");
    let path = implementation;
    if (!fs.existsSync(path)) {
      try {
        path = require.resolve("maildns/providers", { paths: [process.cwd()] });
      } catch {
        throw new Error(`maildns: cannot load its ${kind} provider: ${implementation} is gone and the program's directory (${process.cwd()}) has no maildns package; run npm install in the program's directory`);
      }
    }
    return require(path)[kind];
  };
  return {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

import * as pulumi from "@pulumi/pulumi";

/**
 * The dynamic providers' stored form. Pulumi keeps a dynamic provider's code
 * (`__provider`, a module exporting `handler`) in the inputs and outputs of
 * every resource it manages and runs it in a separate process whose module
 * paths start at the program's directory. Serialising the real
 * implementation would capture maildns's module layout (and fail when
 * maildns is installed as a package, folder or pnpm link) and cost kilobytes
 * per resource, which the file backend rewrites after every step; so each
 * resource stores a one-line module of about 200 bytes that loads the
 * implementation from maildns's own install:
 *
 * 1. the implementation file of the install that registered the resource
 *    (an absolute path, so its own dependencies such as node-forge resolve
 *    from maildns's node_modules whatever the program's layout);
 * 2. if that install has moved, `maildns/providers` resolved from the
 *    program's directory (the maildns the program depends on now); if the
 *    program has none, node's "Cannot find module 'maildns/providers'"
 *    says what to install.
 */
export type ProviderKind = "dkimKey" | "zoneFile" | "zoneRecordSet" | "zoneRecords" | "rfc2136" | "rfc2136Records";

/** What an implementation in zones/providers.ts defines: every method the engine may call. */
export type ProviderImplementation = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">>;

/** The implementations module of this install (dist/zones/providers.js once built). */
const IMPLEMENTATION = require.resolve("./providers");

/** The `__provider` module text of a kind: written by hand, not serialised, so it holds only two strings. */
export function providerSource(kind: ProviderKind, implementation = IMPLEMENTATION): string {
  // The SDK calls handler() without arguments: f is the install's own file.
  return (
    `exports.handler=(f=${JSON.stringify(implementation)})=>` +
    `require(require("fs").existsSync(f)?f:require.resolve("maildns/providers",{paths:[process.cwd()]}))[${JSON.stringify(kind)}];`
  );
}

/**
 * A resource of one of maildns's dynamic providers: the type
 * `pulumi-nodejs:dynamic/maildns:<type>` that `pulumi.dynamic.Resource`
 * registers, with the small `__provider` above.
 */
export class MaildnsDynamicResource extends pulumi.CustomResource {
  constructor(kind: ProviderKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(`pulumi-nodejs:dynamic/maildns:${type}`, name, { ...props, __provider: providerSource(kind) }, opts);
  }
}

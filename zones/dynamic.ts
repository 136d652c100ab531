import { isAbsolute, relative, resolve, sep } from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The dynamic providers' stored form. Pulumi keeps a dynamic provider's code
 * (`__provider`, a module exporting `handler`) in the inputs and outputs of
 * every resource it manages and runs it in a separate process whose module
 * paths start at the program's directory. Serialising the real
 * implementation would capture maildns's module layout (and fail when
 * maildns is installed as a package, folder or pnpm link) and cost kilobytes
 * per resource, which the file backend rewrites after every step; so each
 * resource stores a one-line module of about 150 bytes that loads the
 * implementation from maildns's own install:
 *
 * 1. the implementation file of the install that registered the resource,
 *    as a path relative to the program's directory (where the engine also
 *    starts the provider), so its own dependencies such as node-forge resolve
 *    from maildns's node_modules whatever the program's layout, and a moved
 *    checkout still finds it;
 * 2. if that file is gone, `maildns/providers` resolved from the program's
 *    directory (the maildns the program depends on now); if the program has
 *    none, node's "Cannot find module 'maildns/providers'" says what to
 *    install.
 */
export type ProviderKind = "dkimKey" | "zoneFile" | "zoneRecordSet" | "zoneRecords" | "rfc2136" | "rfc2136Records";

/** What an implementation in zones/providers.ts defines: every method the engine may call. */
export type ProviderImplementation = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">>;

/** The implementations module of this install (dist/zones/providers.js once built). */
const IMPLEMENTATION = require.resolve("./providers");

/** The `__provider` module text of a kind: written by hand, not serialised, so it holds only two strings. */
export function providerSource(kind: ProviderKind, implementation = IMPLEMENTATION, programDir = process.cwd()): string {
  const rel = relative(programDir, implementation).split(sep).join("/");
  const file = isAbsolute(rel) || rel.startsWith("../") ? rel : `./${rel}`;
  // The SDK calls handler() without arguments: f is the install's own file, o resolves from the program's directory.
  return `exports.handler=(f=${JSON.stringify(file)},o={paths:["."]})=>require(require.resolve(require("fs").existsSync(f)?f:"maildns/providers",o))[${JSON.stringify(kind)}];`;
}

/**
 * A resource of one of maildns's dynamic providers: the type
 * `pulumi-nodejs:dynamic/maildns:<type>` that `pulumi.dynamic.Resource`
 * registers, with the small `__provider` above.
 */
export class MaildnsDynamicResource extends pulumi.CustomResource {
  constructor(kind: ProviderKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    const restore = declaringFramesOnly();
    try {
      super(`pulumi-nodejs:dynamic/maildns:${type}`, name, { ...props, __provider: providerSource(kind) }, opts);
    } finally {
      restore();
    }
  }
}

/** This install's own files (dist/, or the sources when run from them). */
const OWN_FILES = resolve(__dirname, "..") + sep;
/** The Pulumi SDK's files, its runner's among them (whichever copy runs the program). */
const PULUMI_SDK = `${sep}node_modules${sep}@pulumi${sep}pulumi${sep}`;

/**
 * While a resource registers: stack traces keep, after the SDK's frames and
 * this module's constructor (which the SDK drops), only the frames that say
 * where the resource was declared: the program's own, outside maildns and
 * the Pulumi SDK (its runner included). maildns's own stack program keeps
 * none: its resources are declared by its config, not by code. The SDK
 * records each resource's stack trace in the state with every frame
 * (maildns's inner calls, the runner's, node's internals: about 400 bytes a
 * resource), which the file backend rewrites at every checkpoint. The frames
 * are chosen here and formatted by whatever formats them otherwise (the
 * runner's source maps for a TypeScript program), so positions stay mapped.
 */
function declaringFramesOnly(): () => void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    const ctor = frames.findIndex((f) => f.getFileName() === __filename);
    if (ctor >= 0) {
      const program = frames.slice(ctor + 1).filter((f) => {
        const file = f.getFileName();
        return typeof file === "string" && !file.startsWith("node:") && !file.startsWith(OWN_FILES) && !file.includes(PULUMI_SDK) && f.getLineNumber() !== null;
      });
      frames = [...frames.slice(0, ctor + 1), ...program];
    }
    return previous ? previous(error, frames) : [String(error), ...frames.map((f) => `    at ${f.toString()}`)].join("\n");
  };
  return () => {
    Error.prepareStackTrace = previous;
  };
}

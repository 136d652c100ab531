import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Stand-ins for the Cloudflare and AWS provider plugins, which cannot be
 * downloaded here: each passes its inputs through Check unchanged, answers
 * getZone with the given zone ids, and creates nothing. The engine finds them
 * on PATH (as "ambient" plugins) and runs the program for real: the resources
 * it registers are exactly what the providers' SDKs send, with the engine's
 * own propertyDependencies, so a preview (and the policy pack on it) sees
 * what it would with the real plugins. A real plugin's Check may add
 * defaults; none of the rules reads those.
 */
const root = join(__dirname, "../..");

export function fakeProviderPlugins(zoneIds: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "maildns-fake-plugins-"));
  mkdirSync(dir, { recursive: true });
  const server = join(dir, "fake-provider.js");
  writeFileSync(server, `"use strict";
const provider = require(${JSON.stringify(join(root, "node_modules/@pulumi/pulumi/provider"))});
const zoneIds = ${JSON.stringify(zoneIds)};
const name = process.argv[2];
const version = process.argv[3];
let n = 0;
provider.main({
  version,
  check: async (urn, olds, news) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async (urn, inputs) => ({ id: name + "-" + (++n), outs: inputs }),
  read: async (id, urn, props) => ({ id, props }),
  delete: async () => {},
  invoke: async (token, inputs) => {
    const zone = (inputs.filter && inputs.filter.name) || inputs.name;
    if (/getZone$/.test(token) && zoneIds[zone]) return { outputs: { id: zoneIds[zone], zoneId: zoneIds[zone], name: zone } };
    return { failures: [{ property: "", reason: "the stand-in provider answers only getZone of known zones" }] };
  },
}, process.argv.slice(4));
`);
  for (const pkg of ["cloudflare", "aws"]) {
    const version = (JSON.parse(readFileSync(join(root, "node_modules/@pulumi", pkg, "package.json"), "utf8")) as { version: string }).version;
    const bin = join(dir, `pulumi-resource-${pkg}`);
    writeFileSync(bin, `#!/bin/sh\nexec node ${JSON.stringify(server)} ${pkg} ${version} "$@"\n`);
    chmodSync(bin, 0o755);
  }
  return dir;
}

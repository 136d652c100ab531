import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The package works as a library: `import { MailDomain, cloudflareZone, route53Zone } from "maildns"`. */
const root = join(__dirname, "../..");
const built = existsSync(join(root, "dist/components/index.js"));

(built ? test : test.skip)("the built package exports the components, zone adapters and rules (run `npm run build` first)", () => {
  const script = `const m = require("maildns"); const l = require("maildns/lib");
    console.log(JSON.stringify([typeof m.MailDomain, typeof m.DkimKey, typeof m.cloudflareZone, typeof m.route53Zone, typeof m.runRules, typeof l.spf.checkHost, typeof l.MailDnsError]));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_PATH: "" } });
  expect(JSON.parse(out)).toEqual(["function", "function", "function", "function", "function", "function", "function"]);
});

(built ? test : test.skip)("loading maildns loads neither the AWS nor the Cloudflare SDK: each loads when a program first uses its backend", () => {
  const loaded = `Object.keys(require.cache).filter((k) => /node_modules[\\\\/]@pulumi[\\\\/](aws|cloudflare)[\\\\/]/.test(k)).map((k) => k.match(/@pulumi[\\\\/](aws|cloudflare)/)[1])`;
  const script = `require("maildns"); require("./dist/stack/program.js"); const before = new Set(${loaded});
    require("./dist/zones/provider-sdks.js").awsSdk(); const after = new Set(${loaded});
    console.log(JSON.stringify([[...before], [...after]]));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_PATH: "" } });
  expect(JSON.parse(out)).toEqual([[], ["aws"]]);
});

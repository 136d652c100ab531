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

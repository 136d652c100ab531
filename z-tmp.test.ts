import { readFileSync } from "node:fs";
import { tempProject, pulumiBin } from "./test/helpers/pulumi";
test("x", () => {
  const p = tempProject(readFileSync("/tmp/cfg.yaml", "utf8"), pulumiBin() as string);
  const r = p.run(["preview"], { allowFail: true });
  console.log(r.status, r.stdout, "STDERR", r.stderr);
});

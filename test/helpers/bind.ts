import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queryRrset } from "../../zones/dnsupdate";

/**
 * Starts BIND (named) on a free loopback port, serving the given zone files,
 * optionally accepting TSIG-signed dynamic updates. For the integration tier.
 */
export interface BindZone {
  name: string;
  /** A zone file to copy in; when absent a minimal zone is written. */
  file?: string;
  /** Accept updates signed with the server's key. */
  dynamic?: boolean;
  /** The file does not load on purpose: the server answers SERVFAIL for the zone. */
  broken?: boolean;
}

export interface BindServer {
  port: number;
  address: string;
  dir: string;
  key: { name: string; secret: string; algorithm: "hmac-sha256" };
  stop(): Promise<void>;
}

/** named.conf of a test server: authoritative only, the TSIG key, the given zone statements. */
export function namedConf(o: { dir: string; key: { name: string; secret: string; algorithm?: string }; port: number; listen: string[]; zones: string[] }): string {
  return `key "${o.key.name}" { algorithm ${o.key.algorithm ?? "hmac-sha256"}; secret "${o.key.secret}"; };
options {
  directory "${o.dir}";
  pid-file "${o.dir}/named.pid";
  listen-on port ${o.port} { ${o.listen.join("; ")}; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { any; };
  dnssec-validation no;
  notify no;
};
controls { };
${o.zones.join("\n")}
`;
}

export function haveBind(): boolean {
  try {
    execFileSync("named", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start BIND. The free port is free for TCP when it is picked; another process
 * may hold it for UDP, or take it before named binds it: then pick another.
 * With a fixed port, retry while the old socket is still being released.
 */
export async function startBind(zones: BindZone[], opts: { port?: number } = {}): Promise<BindServer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startBindOnce(zones, opts);
    } catch (e) {
      if (attempt >= 20 || !/address in use/i.test(String(e))) throw e;
      if (opts.port !== undefined) await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function startBindOnce(zones: BindZone[], opts: { port?: number }): Promise<BindServer> {
  const dir = mkdtempSync(join(tmpdir(), "maildns-bind-"));
  const port = opts.port ?? (await freePort());
  const key = { name: "maildns-test-key", secret: Buffer.from(`maildns-test-secret-${port}`).toString("base64"), algorithm: "hmac-sha256" as const };
  const zoneConf = zones.map((z) => {
    const file = join(dir, `${z.name}.zone`);
    if (z.file) copyFileSync(z.file, file);
    else writeFileSync(file, `$ORIGIN ${z.name}.\n@ 3600 IN SOA ns1.${z.name}. hostmaster.${z.name}. 1 3600 900 1209600 300\n@ 3600 IN NS ns1.${z.name}.\nns1 3600 IN A 127.0.0.1\n`);
    return `zone "${z.name}" { type primary; file "${file}"; ${z.dynamic ? `allow-update { key "${key.name}"; };` : ""} };`;
  });
  writeFileSync(join(dir, "named.conf"), namedConf({ dir, key, port, listen: ["127.0.0.1"], zones: zoneConf }));
  const proc: ChildProcess = spawn("named", ["-g", "-c", join(dir, "named.conf"), ...(process.getuid?.() === 0 ? ["-u", "root"] : [])], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout?.on("data", (d) => (log += d));
  proc.stderr?.on("data", (d) => (log += d));
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`named did not start:\n${log}`)), 15000);
      const check = setInterval(() => {
        if (/running/.test(log)) {
          clearInterval(check);
          clearTimeout(t);
          resolve();
        }
      }, 50);
      proc.once("exit", (code) => {
        clearInterval(check);
        clearTimeout(t);
        reject(new Error(`named exited (${code}):\n${log}`));
      });
    });
    // "running" can come before every zone answers: wait for each zone's SOA.
    for (const z of zones.filter((x) => !x.broken)) {
      for (let i = 0; ; i++) {
        const r = await queryRrset(`127.0.0.1:${port}`, z.name, "SOA", 1000).catch(() => undefined);
        if (r && r.rcode === "NOERROR" && r.values.length > 0) break;
        if (i > 100) throw new Error(`named did not serve ${z.name}:\n${log}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  } catch (e) {
    // Wait for named to be gone: while it exits it still writes into its directory.
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    address: `127.0.0.1:${port}`,
    dir,
    key,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (proc.exitCode === null) proc.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

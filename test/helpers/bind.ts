import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:net";
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

export interface BindOptions {
  /** Listen on this port (default: a free one). */
  port?: number;
  /** Serve BIND's JSON statistics on a free port of its own (`statisticsPort`). */
  statistics?: boolean;
}

export interface BindServer {
  port: number;
  /** The statistics channel's port, when asked for. */
  statisticsPort?: number;
  address: string;
  dir: string;
  key: { name: string; secret: string; algorithm: "hmac-sha256" };
  stop(): Promise<void>;
}

/** named.conf of a test server: authoritative only, the TSIG key, the given zone statements. */
export function namedConf(o: { dir: string; key: { name: string; secret: string; algorithm?: string }; port: number; listen: string[]; zones: string[]; statisticsPort?: number }): string {
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
${o.statisticsPort ? `statistics-channels { inet 127.0.0.1 port ${o.statisticsPort} allow { 127.0.0.1; }; };\n` : ""}${o.zones.join("\n")}
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

/** `n` distinct free loopback ports: every socket is held open until all are known. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      servers.push(await new Promise<Server>((resolve, reject) => {
        const s = createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => resolve(s));
      }));
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/**
 * Stop named and wait until it has exited (SIGKILL after 5 s): while it shuts
 * down it still writes into its directory, so removing the directory before
 * then fails (ENOTEMPTY).
 */
export async function stopNamed(proc: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
  clearTimeout(timer);
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGKILL");
    await exited;
  }
}

/**
 * Start BIND. The free port is free for TCP when it is picked; another process
 * may hold it for UDP, or take it before named binds it: then pick another.
 * With a fixed port, retry while the old socket is still being released.
 */
export async function startBind(zones: BindZone[], opts: BindOptions = {}): Promise<BindServer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startBindOnce(zones, opts);
    } catch (e) {
      if (attempt >= 20 || !/address in use/i.test(String(e))) throw e;
      if (opts.port !== undefined) await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function startBindOnce(zones: BindZone[], opts: BindOptions): Promise<BindServer> {
  const dir = mkdtempSync(join(tmpdir(), "maildns-bind-"));
  const free = await freePorts(opts.port === undefined ? 2 : 1);
  const port = opts.port ?? (free.shift() as number);
  const statisticsPort = opts.statistics ? free[0] : undefined;
  const key = { name: "maildns-test-key", secret: Buffer.from(`maildns-test-secret-${port}`).toString("base64"), algorithm: "hmac-sha256" as const };
  const zoneConf = zones.map((z) => {
    const file = join(dir, `${z.name}.zone`);
    if (z.file) copyFileSync(z.file, file);
    else writeFileSync(file, `$ORIGIN ${z.name}.\n@ 3600 IN SOA ns1.${z.name}. hostmaster.${z.name}. 1 3600 900 1209600 300\n@ 3600 IN NS ns1.${z.name}.\nns1 3600 IN A 127.0.0.1\n`);
    return `zone "${z.name}" { type primary; file "${file}"; ${z.dynamic ? `allow-update { key "${key.name}"; };` : ""} };`;
  });
  writeFileSync(join(dir, "named.conf"), namedConf({ dir, key, port, listen: ["127.0.0.1"], zones: zoneConf, statisticsPort }));
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
    await stopNamed(proc, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    address: `127.0.0.1:${port}`,
    dir,
    key,
    statisticsPort,
    async stop() {
      await stopNamed(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

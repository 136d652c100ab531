import { ChildProcess, execFileSync, spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cfg from "./configs";

export const NET = cfg.NET;

/** What the rig runs (policyd-spf: postfix-policyd-spf-python; ss: iproute2). */
const BINARIES = ["ip", "named", "postfix", "opendkim", "opendmarc", "policyd-spf", "swaks", "ss"];

/** Why the rig cannot run here, or undefined. */
export function rigMissing(): string | undefined {
  if (process.platform !== "linux") return "not Linux";
  if (process.getuid?.() !== 0) return "not root (network namespaces, BIND on port 53 and Postfix need root)";
  const missing = BINARIES.filter((b) => spawnSync("sh", ["-c", `command -v ${b}`], { stdio: "ignore" }).status !== 0);
  return missing.length ? `missing ${missing.join(", ")}` : undefined;
}

const postfixUid = () => Number(execFileSync("id", ["-u", "postfix"], { encoding: "utf8" }).trim());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | false, detail: () => string = () => ""): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await sleep(100);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface Delivery {
  queueId: string;
  /** The sender's log line of the delivery attempt (status=sent, bounced, ...). */
  line: string;
  status: string;
}

/**
 * Two hosts in network namespaces joined by a veth pair on 192.0.2.0/24: the
 * sender mx1.example.com (Postfix signing through OpenDKIM) and the receiver
 * mx.example.net (BIND authoritative for example.com, its reverse zone and
 * example.net; Postfix with the SPF policy service, OpenDKIM verifying and
 * OpenDMARC enforcing). Both resolve through the receiver's BIND, which
 * accepts TSIG-signed updates for example.com and the reverse zone.
 */
export class MailRig {
  readonly id = randomBytes(3).toString("hex");
  readonly send = `mf-send-${this.id}`;
  readonly recv = `mf-recv-${this.id}`;
  readonly key: cfg.TsigKey = { name: "maildns-mailflow", secret: randomBytes(32).toString("base64") };
  readonly dir = mkdtempSync(join(tmpdir(), "maildns-mailflow-"));
  private readonly procs = new Map<string, { proc: ChildProcess; log: () => string }>();
  private readonly namespaces: string[] = [];
  private readonly postfixDirs: string[] = [];
  /** /etc/netns did not exist before: removed again when empty. */
  private etcNetns = false;

  /** Run a command in a namespace, synchronously. */
  exec(ns: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number } = {}): SpawnSyncReturns<string> {
    return spawnSync("ip", ["netns", "exec", ns, cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 26, timeout: opts.timeout ?? 300_000, env: opts.env, cwd: opts.cwd });
  }

  async start(): Promise<void> {
    chmodSync(this.dir, 0o755); // postfix, nobody (policyd-spf, virtual) walk through it
    this.etcNetns = !existsSync("/etc/netns");
    for (const ns of [this.send, this.recv]) {
      execFileSync("ip", ["netns", "add", ns]);
      this.namespaces.push(ns);
      // `ip netns exec` bind-mounts /etc/netns/<ns>/* over /etc: both hosts resolve through the receiver's BIND.
      mkdirSync(`/etc/netns/${ns}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns}/resolv.conf`, `nameserver ${NET.receiver}\n`);
    }
    const sdev = `mfs${this.id}`;
    const rdev = `mfr${this.id}`;
    execFileSync("ip", ["link", "add", sdev, "netns", this.send, "type", "veth", "peer", "name", rdev, "netns", this.recv]);
    for (const [ns, dev, addr] of [[this.send, sdev, NET.sender], [this.recv, rdev, NET.receiver]] as const) {
      execFileSync("ip", ["-n", ns, "addr", "add", `${addr}/24`, "dev", dev]);
      execFileSync("ip", ["-n", ns, "link", "set", dev, "up"]);
      execFileSync("ip", ["-n", ns, "link", "set", "lo", "up"]);
    }
    await this.startBind();
    // Receiver: milters first (Postfix tempfails mail while they are down), then both Postfix instances at once.
    const recv = this.sub("recv");
    writeFileSync(join(recv, "unbound.conf"), cfg.unboundConf());
    writeFileSync(join(recv, "opendkim.conf"), cfg.verifierOpendkimConf(recv));
    writeFileSync(join(recv, "opendmarc.conf"), cfg.opendmarcConf(recv));
    writeFileSync(join(recv, "policyd-spf.conf"), cfg.policydSpfConf());
    chmodSync(join(recv, "policyd-spf.conf"), 0o644);
    this.daemon("recv-opendkim", this.recv, "opendkim", ["-f", "-x", join(recv, "opendkim.conf")]);
    this.daemon("recv-opendmarc", this.recv, "opendmarc", ["-f", "-c", join(recv, "opendmarc.conf")]);
    const mail = join(recv, "mail");
    mkdirSync(mail);
    chownSync(mail, 65534, 65534);
    // All settled before a failure is thrown, so that stop() finds every Postfix master's pid file.
    const started = await Promise.allSettled([
      this.startPostfix(this.recv, recv, cfg.receiverMainCf(recv), cfg.masterCf(join(recv, "policyd-spf.conf")), NET.receiver),
      this.startPostfix(this.send, this.sub("send"), cfg.senderMainCf(join(this.dir, "send")), cfg.masterCf(), NET.sender),
      this.listening(this.recv, "127.0.0.1:8891", "recv-opendkim"),
      this.listening(this.recv, "127.0.0.1:8893", "recv-opendmarc"),
    ]);
    for (const r of started) if (r.status === "rejected") throw r.reason;
  }

  private sub(name: string): string {
    const d = join(this.dir, name);
    mkdirSync(d, { recursive: true, mode: 0o755 });
    return d;
  }

  private daemon(name: string, ns: string, cmd: string, args: string[]): ChildProcess {
    const proc = spawn("ip", ["netns", "exec", ns, cmd, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    proc.stdout?.on("data", (d) => (log += d));
    proc.stderr?.on("data", (d) => (log += d));
    proc.on("error", (e) => (log += String(e)));
    this.procs.set(name, { proc, log: () => log });
    return proc;
  }

  private async listening(ns: string, addr: string, name: string): Promise<void> {
    const p = this.procs.get(name);
    await waitFor(`${name} to listen on ${addr}`, 15000, () => {
      if (p && p.proc.exitCode !== null) throw new Error(`${name} exited (${p.proc.exitCode}):\n${p.log()}`);
      return this.exec(ns, "ss", ["-Hltn"]).stdout.includes(` ${addr} `);
    }, () => p?.log() ?? "");
  }

  private async startBind(): Promise<void> {
    const dir = this.sub("bind");
    writeFileSync(join(dir, "named.conf"), cfg.namedConfig(dir, this.key));
    for (const zone of [NET.domain, NET.reverseZone, NET.receiverDomain]) writeFileSync(join(dir, `${zone}.zone`), cfg.zoneFile(zone));
    this.daemon("named", this.recv, "named", ["-g", "-u", "root", "-c", join(dir, "named.conf")]);
    const named = this.procs.get("named");
    await waitFor("named to load its zones", 15000, () => {
      if (named?.proc.exitCode !== null) throw new Error(`named exited:\n${named?.log()}`);
      return /running/.test(named.log());
    }, () => named?.log() ?? "");
    await this.listening(this.recv, `${NET.receiver}:53`, "named");
  }

  private async startPostfix(ns: string, dir: string, main: string, master: string, addr: string): Promise<void> {
    const conf = join(dir, "postfix");
    mkdirSync(conf, { recursive: true });
    // `postfix start` (its check) makes the queue's subdirectories, not the queue directory itself.
    mkdirSync(join(dir, "queue"), { mode: 0o755 });
    mkdirSync(join(dir, "data"), { mode: 0o700 });
    chownSync(join(dir, "data"), postfixUid(), 0);
    writeFileSync(join(conf, "main.cf"), main);
    writeFileSync(join(conf, "master.cf"), master);
    this.postfixDirs.push(dir);
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn("ip", ["netns", "exec", ns, "postfix", "-c", conf, "start"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("close", (code) => resolve({ code, out }));
    });
    if (r.code !== 0) throw new Error(`postfix -c ${conf} start failed (${r.code}):\n${r.out}\n${this.log(dir)}`);
    await waitFor(`postfix in ${ns} to listen on ${addr}:25`, 15000, () => this.exec(ns, "ss", ["-Hltn"]).stdout.includes(` ${addr}:25 `), () => this.log(dir));
  }

  private log(dir: string): string {
    const f = join(dir, "maillog");
    return existsSync(f) ? readFileSync(f, "utf8") : "";
  }

  get senderLog(): string {
    return this.log(join(this.dir, "send"));
  }

  get receiverLog(): string {
    return this.log(join(this.dir, "recv"));
  }

  /** (Re)start the sender's OpenDKIM on the KeyTable and SigningTable in `keyDir`. */
  async startSigner(keyDir: string): Promise<void> {
    await this.stopProc("send-opendkim");
    const dir = this.sub("send");
    writeFileSync(join(dir, "opendkim.conf"), cfg.signerOpendkimConf(dir, keyDir));
    this.daemon("send-opendkim", this.send, "opendkim", ["-f", "-x", join(dir, "opendkim.conf")]);
    await this.listening(this.send, "127.0.0.1:8891", "send-opendkim");
  }

  /** Submit a message to the sender's Postfix; its queue id there. */
  sendMail(subject: string): string {
    const r = this.exec(this.send, "swaks", ["--server", NET.sender, "--from", NET.from, "--to", NET.mailbox, "--helo", "client.example.com", "--header", `Subject: ${subject}`, "--body", `mail flow test: ${subject}`], { timeout: 30000 });
    const id = /250 2\.0\.0 Ok: queued as ([0-9A-Za-z]+)/.exec(r.stdout)?.[1];
    if (!id) throw new Error(`swaks failed (${r.status}):\n${r.stdout}\n${r.stderr}\n${this.senderLog}`);
    return id;
  }

  /** The sender's final (or deferred) delivery attempt for a queue id. */
  async delivery(queueId: string, timeoutMs = 20000): Promise<Delivery> {
    const re = new RegExp(`^.* ${queueId}: to=<${NET.mailbox}>.*status=(sent|bounced|deferred).*$`, "m");
    const m = await waitFor(`the delivery of ${queueId}`, timeoutMs, () => re.exec(this.senderLog) ?? undefined, () => `${this.senderLog}\n--- receiver\n${this.receiverLog}`);
    return { queueId, line: m[0], status: m[1] ?? "" };
  }

  /** The TXT record at `name` (its strings joined) as the sender resolves it, or undefined when there is none. */
  resolveTxt(name: string): string | undefined {
    const script = `require("dns").promises.resolveTxt(process.argv[1]).then((r) => console.log(JSON.stringify(r.map((s) => s.join("")))), (e) => console.log(JSON.stringify(e.code)))`;
    const r = this.exec(this.send, process.execPath, ["-e", script, name], { timeout: 15000 });
    const out = JSON.parse(r.stdout || "null") as string[] | string | null;
    if (out === "ENOTFOUND" || out === "ENODATA") return undefined;
    if (!Array.isArray(out) || out.length > 1) throw new Error(`TXT ${name}: ${r.stdout}${r.stderr}`);
    return out[0];
  }

  /** The delivered message whose subject is `subject`, from bob's Maildir. */
  delivered(subject: string): string | undefined {
    const dir = join(this.dir, "recv/mail/bob/new");
    if (!existsSync(dir)) return undefined;
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), "utf8");
      if (text.includes(`\nSubject: ${subject}\n`)) return text;
    }
    return undefined;
  }

  private async stopProc(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p) return;
    this.procs.delete(name);
    if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
    const exited = new Promise((r) => p.proc.once("exit", r));
    p.proc.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    if (p.proc.exitCode === null && p.proc.signalCode === null) {
      p.proc.kill("SIGKILL");
      await Promise.race([exited, sleep(2000)]);
    }
  }

  /** Stops everything started (by pid), deletes the namespaces, their /etc/netns entries and the temp dir. Safe after a partial start. */
  async stop(): Promise<void> {
    for (const dir of this.postfixDirs) {
      const pidFile = join(dir, "queue/pid/master.pid");
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : NaN;
      if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) continue;
      process.kill(pid, "SIGTERM");
      await waitFor(`postfix master ${pid} to exit`, 10000, () => !alive(pid)).catch(() => process.kill(pid, "SIGKILL"));
    }
    for (const name of [...this.procs.keys()]) await this.stopProc(name);
    for (const ns of this.namespaces) {
      // Whatever is left in our own namespaces (children of the daemons above) was started by this rig.
      const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).stdout.split(/\s+/).filter(Boolean).map(Number);
      for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
      if (pids.length) await sleep(200);
      spawnSync("ip", ["netns", "del", ns]);
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
    if (this.etcNetns && existsSync("/etc/netns") && readdirSync("/etc/netns").length === 0) rmdirSync("/etc/netns");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

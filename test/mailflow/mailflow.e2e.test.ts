import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDkim } from "../../lib/dkim";
import { pulumiBin, pulumiEnv, tempProject, TempProject } from "../helpers/pulumi";
import { MailRig, NET, rigMissing } from "./rig";

/**
 * Mail flow at a real receiver: a stack on the rfc2136 backend provisions
 * example.com in the receiver's BIND (`pulumi up` inside the receiver's
 * namespace); `maildns dkim-keys` feeds the sender's OpenDKIM; Postfix sends
 * to a Postfix that checks SPF (policyd-spf), DKIM (OpenDKIM) and DMARC
 * (OpenDMARC, p=reject enforced). Each breaking change is first predicted by
 * `maildns review`, then seen at the receiver; then the README's DKIM
 * rotation runbook, with mail passing at every step.
 */
const noRig = rigMissing();
const bin = noRig ? undefined : pulumiBin();
const missing = noRig ?? (bin ? undefined : "no Pulumi CLI (scripts/pulumi-cli.sh failed)");
if (missing) console.warn(`skipping the mail-flow e2e test: ${missing}`);
const run = missing ? describe.skip : describe;
const cli = join(__dirname, "../../dist/cli/index.js");

interface Scenario {
  spf?: string;
  dkim?: string;
}
const GOOD_SPF = "{}";
const BAD_SPF = '{ authorizeMailHosts: false, ip4: ["198.51.100.1"] }';

run("mail from a maildns-provisioned domain at a real receiver", () => {
  let rig: MailRig;
  let p: TempProject | undefined;
  let n = 0;
  /** Where `maildns dkim-keys` writes the sender's keys and tables. */
  const signer = () => join(rig.dir, "signer");
  const project = () => {
    if (!p) throw new Error("no project");
    return p;
  };

  const stackYaml = (s: Scenario) => `config:
  maildns:defaults:
    dns:
      provider: rfc2136
      server: "${NET.receiver}:53"
      keyName: ${rig.key.name}
    reverseZones:
      - name: ${NET.reverseZone}
  maildns:domains:
    - domain: ${NET.domain}
      mailHosts:
        - name: mx1
          ipv4: ["${NET.sender}"]
          ptr: true
      spf: ${s.spf ?? GOOD_SPF}
      dkim: ${s.dkim ?? '[{ selector: "s2026" }]'}
      dmarc: { p: reject }
`;
  const setStack = (s: Scenario) => project().setStackFile(stackYaml(s));
  /** The Pulumi CLI inside the receiver's namespace, where the server is. */
  const pulumi = (args: string[], allowFail = false) => {
    const r = rig.exec(rig.recv, "pulumi", [...args, "--non-interactive"], { cwd: project().dir, env: pulumiEnv(project().dir, bin ?? "") });
    if (r.status !== 0 && !allowFail) throw new Error(`pulumi ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const up = (s: Scenario) => {
    setStack(s);
    pulumi(["up", "--yes", "--skip-preview"]);
  };
  /** `maildns review` of the preview of `s`: the rule ids it reports. */
  const review = (s: Scenario) => {
    setStack(s);
    const preview = pulumi(["preview", "--json", "--show-sames"], true);
    const file = join(project().dir, `preview-${++n}.json`);
    writeFileSync(file, preview.stdout);
    const r = spawnSync(process.execPath, [cli, "review", file, "--format", "json"], { encoding: "utf8" });
    if (r.status === 2 || r.stderr) throw new Error(`review failed (${r.status}): ${r.stderr}\n${preview.stderr}`);
    const out = JSON.parse(r.stdout) as { domains: { domain: string; verdict: string; consequences: { ruleId: string; message: string }[] }[] };
    const d = out.domains.find((x) => x.domain === NET.domain);
    return { exit: r.status, verdict: d?.verdict, rules: d?.consequences.map((c) => c.ruleId) ?? [], messages: d?.consequences.map((c) => `${c.ruleId}: ${c.message}`) ?? [] };
  };
  const dkimKeys = (force = false) => {
    const r = spawnSync(process.execPath, [cli, "dkim-keys", "--format", "opendkim", "--out", signer(), ...(force ? ["--force"] : [])], { cwd: project().dir, env: pulumiEnv(project().dir, bin ?? ""), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`dkim-keys failed (${r.status}): ${r.stderr}`);
  };
  /** Send a message through the sender; the sender's delivery line and the delivered message (if any). */
  const mail = async (label: string) => {
    const subject = `${label} ${rig.id}`;
    const d = await rig.delivery(rig.sendMail(subject));
    const msg = d.status === "sent" ? await waitDelivered(subject) : undefined;
    const ar = (msg ?? "").split(/\n(?=\S)/).filter((h) => /^Authentication-Results:/i.test(h)).map((h) => h.replace(/\s+/g, " "));
    console.log(`${label}: ${d.status}\n${ar.join("\n") || d.line}`);
    // Each method's results over every Authentication-Results header (OpenDMARC repeats SPF's): "pass", or e.g. "fail,pass" when they disagree.
    const results = Object.fromEntries(["spf", "dkim", "dmarc"].map((k) => [k, [...new Set([...ar.join("\n").matchAll(new RegExp(`;\\s*${k}=(\\w+)`, "g"))].map((x) => x[1]))].sort().join(",") || undefined]));
    return { ...d, subject, msg: msg ?? "", ar: ar.join("\n"), results, sig: /^DKIM-Signature:.*(?:\n\s.*)*/im.exec(msg ?? "")?.[0].replace(/\s+/g, " ") ?? "" };
  };
  /** The DKIM key record served at a selector, as the sender's resolver gets it, parsed. */
  const publishedKey = (selector: string) => {
    const value = rig.resolveTxt(`${selector}._domainkey.${NET.domain}`);
    return value === undefined ? undefined : parseDkim(value).record;
  };
  const waitDelivered = async (subject: string) => {
    for (let i = 0; i < 100; i++) {
      const m = rig.delivered(subject);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`"${subject}" was sent but is not in the mailbox`);
  };

  beforeAll(async () => {
    rig = new MailRig();
    await rig.start();
    p = tempProject(stackYaml({}), bin ?? "");
    pulumi(["config", "set", "--secret", "maildns:tsigSecret", rig.key.secret]);
    expect(readFileSync(join(project().dir, "Pulumi.e2e.yaml"), "utf8")).toMatch(/^ {2}maildns:tsigSecret:\n {4}secure: /m);
  }, 90000);
  afterAll(async () => {
    await rig?.stop();
    if (p) rmSync(p.dir, { recursive: true, force: true });
  }, 60000);

  test("pulumi up provisions example.com; mail signed with the generated key passes SPF, DKIM and DMARC", async () => {
    up({});
    dkimKeys();
    await rig.startSigner(signer());
    const m = await mail("good");
    expect(m.status).toBe("sent");
    expect(m.results).toEqual({ spf: "pass", dkim: "pass", dmarc: "pass" });
    expect(m.ar).toMatch(/\bdkim=pass \(2048-bit key[^)]*\) header\.d=example\.com header\.i=@example\.com header\.a=rsa-sha256 header\.s=s2026\b/);
    expect(m.ar).toMatch(/\bdmarc=pass \(p=reject dis=none\) header\.from=example\.com/);
    expect(m.ar).toMatch(/\bspf=pass \(sender SPF authorized\) smtp\.mailfrom=example\.com/);
    expect(m.sig).toMatch(/\bs=s2026;/);
    // The receiver found mx1.example.com by the PTR maildns published, and its A confirmed it.
    expect(rig.receiverLog).toContain(`connect from ${NET.senderHost}[${NET.sender}]`);
    expect(rig.receiverLog).not.toContain(`unknown[${NET.sender}]`);
    expect(publishedKey("s2026")?.keyBits).toBe(2048);
  }, 120000);

  test("SPF that no longer lists the sender: review predicts spf-sender-dropped; spf=fail, DMARC passes through DKIM", async () => {
    const r = review({ spf: BAD_SPF });
    expect(r.rules).toContain("spf-sender-dropped");
    expect(r.messages.join("\n")).toContain(`"ip4:${NET.sender}" is no longer authorised`);
    expect(r.verdict).toBe("blocks mail");
    expect(r.exit).toBe(1);
    up({ spf: BAD_SPF });
    const m = await mail("spf-broken");
    expect(m.status).toBe("sent");
    expect(m.results).toEqual({ spf: "fail", dkim: "pass", dmarc: "pass" });
  }, 120000);

  test("the key of s2026 replaced while the sender signs with the old one: review predicts dkim-key-replaced; dkim=fail, DMARC passes through SPF", async () => {
    const s = { dkim: '[{ selector: "s2026", keyBits: 3072 }]' };
    const r = review(s);
    expect(r.rules).toContain("dkim-key-replaced");
    expect(r.exit).toBe(1);
    up(s);
    expect(publishedKey("s2026")?.keyBits).toBe(3072);
    const m = await mail("dkim-broken");
    expect(m.status).toBe("sent");
    expect(m.results).toEqual({ spf: "pass", dkim: "fail", dmarc: "pass" });
    expect(m.sig).toMatch(/\bs=s2026;/);
  }, 120000);

  test("both broken under p=reject: review predicts both; the receiver rejects the message with a 5xx and nothing is delivered", async () => {
    const s = { spf: BAD_SPF, dkim: '[{ selector: "s2026" }]' };
    const r = review(s);
    expect(r.rules).toEqual(expect.arrayContaining(["spf-sender-dropped", "dkim-key-replaced"]));
    expect(r.exit).toBe(1);
    up(s);
    const m = await mail("both-broken");
    expect(m.status).toBe("bounced");
    expect(m.line).toMatch(/said: 550 5\.7\.1 rejected by DMARC policy for example\.com/);
    expect(rig.delivered(m.subject)).toBeUndefined();
    expect(rig.receiverLog).toMatch(new RegExp(`milter-reject: END-OF-MESSAGE from ${NET.senderHost}\\[${NET.sender}\\]: 5\\.7\\.1 rejected by DMARC policy for example\\.com`));
  }, 120000);

  test("the rotation runbook (README): mail passes at every step, the signer moving from s2026 to s2027", async () => {
    // A good state again: SPF restored, the signer given the key s2026 now has.
    up({});
    dkimKeys(true);
    await rig.startSigner(signer());
    expect((await mail("restored")).results).toEqual({ spf: "pass", dkim: "pass", dmarc: "pass" });

    const both = { dkim: '[{ selector: "s2026" }, { selector: "s2027" }]' };
    const r = review(both);
    expect(r.rules).toContain("dkim-rotation-step");
    expect(r.rules).not.toContain("dkim-selector-removed");
    expect(r.exit).toBe(0);
    up(both);
    expect(publishedKey("s2027")?.keyBits).toBe(2048);
    // Runbook step 2 waits until the new record is served: `maildns verify --selector s2027` against the receiver's server.
    const v = rig.exec(rig.recv, process.execPath, [cli, "verify", NET.domain, "--server", `${NET.receiver}:53`, "--selector", "s2027", "--json"]);
    const verified = JSON.parse(v.stdout) as { errors: number; reports: { passed: string[] }[] };
    expect(verified.errors).toBe(0);
    expect(verified.reports[0]?.passed).toEqual(expect.arrayContaining(["dkim-record-syntax", "dkim-key-size", "ptr-forward-confirmed"]));
    let m = await mail("rotation-1");
    expect(m.results).toEqual({ spf: "pass", dkim: "pass", dmarc: "pass" });
    expect(m.sig).toMatch(/\bs=s2026;/);

    dkimKeys();
    expect(readFileSync(join(signer(), "SigningTable"), "utf8")).toBe("*@example.com s2027._domainkey.example.com\n");
    await rig.startSigner(signer());
    m = await mail("rotation-2");
    expect(m.results).toEqual({ spf: "pass", dkim: "pass", dmarc: "pass" });
    expect(m.sig).toMatch(/\bs=s2027;/);

    up({ dkim: '[{ selector: "s2026", retired: true }, { selector: "s2027" }]' });
    expect(publishedKey("s2026")?.revoked).toBe(true);
    m = await mail("rotation-3");
    expect(m.results).toEqual({ spf: "pass", dkim: "pass", dmarc: "pass" });

    up({ dkim: '[{ selector: "s2027" }]' });
    expect(publishedKey("s2026")).toBeUndefined();
    m = await mail("rotation-4");
    expect(m.results).toEqual({ spf: "pass", dkim: "pass", dmarc: "pass" });
    expect(m.sig).toMatch(/\bs=s2027;/);
  }, 180000);
});

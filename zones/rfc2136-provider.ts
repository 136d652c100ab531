import type { ProviderImplementation } from "./dynamic";
import { HeldKeys, holdKeys, isSelectorRecord, keyChanges, KeySpecs, NO_KEYS } from "./held-keys";
import { resolveGeneratedKey } from "../lib/dkim";
import { buildUpdate, exchangeTcp, parseReply, Prerequisite, queryRrset, Rr, signTsig, UpdateOp } from "./dnsupdate";

/**
 * The rfc2136 dynamic provider of the layout before 0.2 (kept so existing
 * stacks upgrade; see rfc2136RecordsProvider below): one resource per RRset on a live
 * authoritative server, changed with TSIG-signed DNS UPDATE. Create carries
 * "RRset does not exist", update "RRset equals what we wrote", so a record
 * set someone else owns or changed is never clobbered; each change is one
 * atomic message. Errors name the server, zone and record.
 */
export interface Rfc2136Inputs {
  server: string;
  zone: string;
  keyName: string;
  /** base64 TSIG secret; a Pulumi secret. */
  keySecret: string;
  timeoutMs: number;
  rrset: Rr;
}

type Server = Pick<Rfc2136Inputs, "server" | "zone" | "keyName" | "keySecret" | "timeoutMs">;

async function send(inputs: Server, what: string, records: string, prereqs: Prerequisite[], ops: UpdateOp[]): Promise<void> {
  const key = { name: inputs.keyName, secret: inputs.keySecret };
  const where = `${inputs.server} zone ${inputs.zone}, ${records}`;
  const id = Math.floor(Math.random() * 65535);
  const { message, mac } = signTsig(buildUpdate(id, inputs.zone, prereqs, ops), key);
  let reply: Buffer;
  try {
    reply = await exchangeTcp(inputs.server, message, inputs.timeoutMs);
  } catch (e) {
    throw new Error(`${what} ${where}: the server did not answer (${(e as { code?: string }).code ?? (e as Error).message}); nothing was changed`);
  }
  const r = parseReply(reply, key, mac);
  if (r.tsigError) throw new Error(`${what} ${where}: the server rejected TSIG key "${inputs.keyName}" (${r.tsigError}${r.tsigError === "BADTIME" ? ": clocks differ by more than 300 s" : ""}); nothing was changed`);
  switch (r.rcode) {
    case "NOERROR":
      break;
    case "YXRRSET":
      throw new Error(`${what} ${where}: the record set already exists and is not managed by this stack; it was not overwritten (import it, or remove it by hand)`);
    case "NXRRSET":
      throw new Error(`${what} ${where}: the record set was changed or removed outside Pulumi; nothing was changed (run pulumi refresh)`);
    case "REFUSED":
      throw new Error(`${what} ${where}: the server refused the update (does its allow-update / ACL permit key "${inputs.keyName}"?)`);
    case "NOTAUTH":
    case "NOTZONE":
      throw new Error(`${what} ${where}: the server is not authoritative for ${inputs.zone} (${r.rcode})`);
    default:
      throw new Error(`${what} ${where}: the server answered ${r.rcode}; nothing was changed`);
  }
  if (!r.verified) throw new Error(`${what} ${where}: the server's reply carried no valid TSIG signature; check the record and run pulumi refresh`);
}

const describeRr = (r: Rr) => `${r.name} ${r.type}`;

const same = (a: Rfc2136Inputs, b: Rfc2136Inputs) => a.server === b.server && a.zone === b.zone && a.rrset.name === b.rrset.name && a.rrset.type === b.rrset.type;

export const rfc2136Provider: ProviderImplementation = {
  async check(_olds: Rfc2136Inputs, news: Rfc2136Inputs) {
    return { inputs: news };
  },
  async create(inputs: Rfc2136Inputs) {
    await send(inputs, "create", describeRr(inputs.rrset), [{ kind: "rrset-absent", name: inputs.rrset.name, type: inputs.rrset.type }], [{ kind: "add", rrset: inputs.rrset }]);
    return { id: `${inputs.zone}/${inputs.rrset.name}/${inputs.rrset.type}`, outs: inputs };
  },
  async diff(_id: string, olds: Rfc2136Inputs, news: Rfc2136Inputs) {
    const replaces = same(olds, news) ? [] : ["rrset"];
    const changes = replaces.length > 0 || JSON.stringify(olds.rrset) !== JSON.stringify(news.rrset) || olds.keyName !== news.keyName || olds.keySecret !== news.keySecret || olds.timeoutMs !== news.timeoutMs;
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, olds: Rfc2136Inputs, news: Rfc2136Inputs) {
    if (JSON.stringify(olds.rrset) !== JSON.stringify(news.rrset)) {
      await send(news, "update", describeRr(news.rrset), [{ kind: "rrset-equals", rrset: olds.rrset }], [
        { kind: "delete-rrset", name: news.rrset.name, type: news.rrset.type },
        { kind: "add", rrset: news.rrset },
      ]);
    }
    return { outs: news };
  },
  async read(id: string, props: Rfc2136Inputs) {
    const live = await queryRrset(props.server, props.rrset.name, props.rrset.type, props.timeoutMs);
    if (live.values.length === 0) return { id: "", props: {} } as never;
    return { id, props: { ...props, rrset: { ...props.rrset, ttl: live.ttl ?? props.rrset.ttl, values: live.values } } };
  },
  async delete() {
    // A resource of the layout before 0.2 is deleted only by the first update after an upgrade,
    // whose Rfc2136Records resource has just taken its record set over (identical values): the
    // record set stays. (Upgrade with an unchanged configuration first; see the CHANGELOG.)
  },
};

/**
 * The record sets one caller (a mail domain) keeps in a zone, as one
 * resource: every change is one atomic, TSIG-signed UPDATE with a
 * prerequisite per record set ("absent" for a new one, "equals what we
 * wrote" for a changed or removed one). A record set found identical on the
 * server (left by an update that was killed, or by the layout before 0.2) is
 * taken over; a different one is never overwritten.
 */
export interface Rfc2136RecordsInputs extends Server {
  rrsets: Rr[];
  /** DKIM keys this resource generates and keeps; a value `(generated DKIM key <selector>)` is sent as that key's record (held-keys.ts). */
  keys?: KeySpecs;
}

/** Outputs: the inputs with each generated key's record in place of its marker (what the server holds), and the keys. */
type Rfc2136RecordsOutputs = Rfc2136RecordsInputs & Partial<HeldKeys>;

/** The record sets with each generated-key marker replaced by its key's DKIM record; a marker without a key is left (during diff: a key still to make). */
function withKeyValues(inputs: Rfc2136RecordsInputs, publicKeys: Record<string, string> = {}): Rfc2136RecordsInputs {
  if (!Array.isArray(inputs.rrsets)) return inputs;
  const rrsets = inputs.rrsets.map((r) => ({
    ...r,
    values: Array.isArray(r?.values) ? r.values.map((v) => (resolveGeneratedKey(v, publicKeys) ?? v) as string) : r?.values,
  }));
  return { ...inputs, rrsets };
}

/** Whether the server already holds, for this resource, a selector's DKIM record (in its outputs). */
const publishedIn = (rrsets: Rr[] | undefined) => (sel: string) =>
  (rrsets ?? []).some((r) => r.type === "TXT" && isSelectorRecord(sel, r.name));

/** The outputs of a step: the record sets as written (markers replaced) and the keys. */
const recordsOuts = (written: Rfc2136RecordsInputs, keys: HeldKeys | undefined): Rfc2136RecordsOutputs => ({ ...written, ...keys });

const rrKey = (r: Rr) => `${r.name} ${r.type}`;

/** What the server holds now for each of the record sets. */
async function lookUp(inputs: Rfc2136RecordsInputs, what: string): Promise<{ values: string[]; ttl?: number }[]> {
  try {
    return await Promise.all(inputs.rrsets.map((r) => queryRrset(inputs.server, r.name, r.type, inputs.timeoutMs)));
  } catch (e) {
    throw new Error(`${what} ${inputs.server} zone ${inputs.zone}, ${inputs.rrsets.map(describeRr).join(", ")}: the server did not answer (${(e as { code?: string }).code ?? (e as Error).message}); nothing was changed`);
  }
}
const sameValues = (a: Rr, b: { values: string[] }) => JSON.stringify([...a.values].sort()) === JSON.stringify([...b.values].sort());
/** Addresses first, MX last: a server may refuse an MX whose in-zone target has no address yet. */
const order = (r: Rr) => (r.type === "A" || r.type === "AAAA" ? 0 : r.type === "MX" ? 2 : 1);
const ordered = (list: Rr[]) => [...list].sort((a, b) => order(a) - order(b));

export const rfc2136RecordsProvider: ProviderImplementation = {
  async check(_olds: Rfc2136RecordsInputs, news: Rfc2136RecordsInputs) {
    return { inputs: news };
  },
  async create(given: Rfc2136RecordsInputs) {
    const keys = await holdKeys(given.keys, NO_KEYS, `${given.server} zone ${given.zone}`, () => false);
    const inputs = withKeyValues(given, keys?.publicKeys);
    const live = await lookUp(inputs, "create");
    const conflicts = inputs.rrsets.filter((r, i) => (live[i]?.values.length ?? 0) > 0 && !sameValues(r, live[i] as { values: string[] }));
    if (conflicts.length) {
      throw new Error(`create ${inputs.server} zone ${inputs.zone}, ${conflicts.map(describeRr).join(", ")}: the record set already exists with other values and is not managed by this stack; it was not overwritten (import it, or remove it by hand)`);
    }
    const fresh = ordered(inputs.rrsets.filter((_r, i) => (live[i]?.values.length ?? 0) === 0));
    if (fresh.length) {
      await send(inputs, "create", fresh.map(describeRr).join(", "), fresh.map((r) => ({ kind: "rrset-absent", name: r.name, type: r.type })), fresh.map((r) => ({ kind: "add", rrset: r })));
    }
    return { id: `${inputs.zone}/${inputs.rrsets.map(rrKey).sort().join(",").slice(0, 200)}`, outs: recordsOuts(inputs, keys) };
  },
  async diff(_id: string, olds: Rfc2136RecordsOutputs, given: Rfc2136RecordsInputs) {
    const replaces = olds.server !== given.server || olds.zone !== given.zone ? ["zone"] : [];
    const keys = keyChanges(given.keys, olds, `${given.server} zone ${given.zone}`, publishedIn(olds.rrsets));
    const news = withKeyValues(given, keys.kept);
    const changes = replaces.length > 0 || keys.changed || JSON.stringify(olds.rrsets) !== JSON.stringify(news.rrsets) || olds.keyName !== news.keyName || olds.keySecret !== news.keySecret || olds.timeoutMs !== news.timeoutMs;
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, olds: Rfc2136RecordsOutputs, given: Rfc2136RecordsInputs) {
    const keys = await holdKeys(given.keys, olds, `${given.server} zone ${given.zone}`, publishedIn(olds.rrsets));
    const news = withKeyValues(given, keys?.publicKeys);
    const before = new Map(olds.rrsets.map((r) => [rrKey(r), r] as const));
    const after = new Map(news.rrsets.map((r) => [rrKey(r), r] as const));
    const prereqs: Prerequisite[] = [];
    const ops: UpdateOp[] = [];
    const touched: Rr[] = [];
    for (const [k, old] of before) {
      if (after.has(k)) continue;
      prereqs.push({ kind: "rrset-equals", rrset: old });
      ops.push({ kind: "delete-values", rrset: old });
      touched.push(old);
    }
    for (const r of ordered(news.rrsets)) {
      const old = before.get(rrKey(r));
      if (old && JSON.stringify(old) === JSON.stringify(r)) continue;
      if (old) {
        prereqs.push({ kind: "rrset-equals", rrset: old });
        ops.push({ kind: "delete-rrset", name: r.name, type: r.type });
      } else {
        prereqs.push({ kind: "rrset-absent", name: r.name, type: r.type });
      }
      ops.push({ kind: "add", rrset: r });
      touched.push(r);
    }
    if (ops.length) await send(news, "update", touched.map(describeRr).join(", "), prereqs, ops);
    return { outs: recordsOuts(news, keys) };
  },
  async read(id: string, props: Rfc2136RecordsInputs) {
    const live = await lookUp(props, "read");
    const rrsets = props.rrsets.flatMap((r, i) => {
      const l = live[i] as { values: string[]; ttl?: number };
      // A server may answer an RRset in any order (BIND rotates it): the same values keep the declared order.
      return l.values.length ? [{ ...r, ttl: l.ttl ?? r.ttl, values: sameValues(r, l) ? r.values : l.values }] : [];
    });
    if (rrsets.length === 0) return { id: "", props: {} } as never;
    return { id, props: { ...props, rrsets } };
  },
  async delete(_id: string, props: Rfc2136RecordsInputs) {
    if (props.rrsets.length === 0) return;
    await send(props, "delete", props.rrsets.map(describeRr).join(", "), [], [...props.rrsets].reverse().map((r) => ({ kind: "delete-values", rrset: r })));
  },
};

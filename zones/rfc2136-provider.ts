import type { ProviderImplementation } from "./dynamic";
import { buildUpdate, exchangeTcp, parseReply, Prerequisite, queryRrset, Rr, signTsig, UpdateOp } from "./dnsupdate";

/**
 * The rfc2136 dynamic provider: one resource per RRset on a live
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

async function send(inputs: Rfc2136Inputs, what: string, prereqs: Prerequisite[], ops: UpdateOp[]): Promise<void> {
  const key = { name: inputs.keyName, secret: inputs.keySecret };
  const where = `${inputs.server} zone ${inputs.zone}, ${inputs.rrset.name} ${inputs.rrset.type}`;
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

const same = (a: Rfc2136Inputs, b: Rfc2136Inputs) => a.server === b.server && a.zone === b.zone && a.rrset.name === b.rrset.name && a.rrset.type === b.rrset.type;

export const rfc2136Provider: ProviderImplementation = {
  async check(_olds: Rfc2136Inputs, news: Rfc2136Inputs) {
    return { inputs: news };
  },
  async create(inputs: Rfc2136Inputs) {
    await send(inputs, "create", [{ kind: "rrset-absent", name: inputs.rrset.name, type: inputs.rrset.type }], [{ kind: "add", rrset: inputs.rrset }]);
    return { id: `${inputs.zone}/${inputs.rrset.name}/${inputs.rrset.type}`, outs: inputs };
  },
  async diff(_id: string, olds: Rfc2136Inputs, news: Rfc2136Inputs) {
    const replaces = same(olds, news) ? [] : ["rrset"];
    const changes = replaces.length > 0 || JSON.stringify(olds.rrset) !== JSON.stringify(news.rrset) || olds.keyName !== news.keyName || olds.keySecret !== news.keySecret || olds.timeoutMs !== news.timeoutMs;
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, olds: Rfc2136Inputs, news: Rfc2136Inputs) {
    if (JSON.stringify(olds.rrset) !== JSON.stringify(news.rrset)) {
      await send(news, "update", [{ kind: "rrset-equals", rrset: olds.rrset }], [
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
  async delete(_id: string, props: Rfc2136Inputs) {
    await send(props, "delete", [], [{ kind: "delete-values", rrset: props.rrset }]);
  },
};

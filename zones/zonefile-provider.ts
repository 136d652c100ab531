import type * as pulumi from "@pulumi/pulumi";
import { nextSerial, parseZone, renderZone, ZoneModel, ZoneRRset } from "./zonefile-format";

/**
 * Dynamic providers of the zone-file backend. `zoneFileProvider` owns a file
 * and its SOA/NS; `zoneRecordSetProvider` owns one RRset inside it. Every
 * change takes a lock, re-reads the file, bumps the SOA serial and replaces
 * the file atomically (temporary file + rename). Node built-ins are required
 * inside the functions so the providers survive serialisation.
 */
export interface ZoneFileInputs {
  /** The Pulumi project's directory; `path` is relative to it. Not diffed, so a moved checkout replaces nothing. */
  root: string;
  path: string;
  origin: string;
  header: ZoneRRset[];
}

export interface RecordSetInputs {
  root: string;
  path: string;
  origin: string;
  rrset: ZoneRRset;
}

type Edit<T> = (m: ZoneModel | undefined) => { model?: ZoneModel | null; result: T };

async function withZone<T>(where: { root: string; path: string }, edit: Edit<T>): Promise<T> {
  const fs = require("node:fs");
  const path: string = require("node:path").resolve(where.root, where.path);
  const lock = `${path}.lock`;
  fs.mkdirSync(require("node:path").dirname(path), { recursive: true });
  for (let i = 0; ; i++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST" || i > 600) throw new Error(`cannot lock ${path} (is another update running? remove ${lock} if not)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    const text: string | undefined = fs.existsSync(path) ? fs.readFileSync(path, "utf8") : undefined;
    const current = text === undefined ? undefined : parseZone(text);
    if (text !== undefined && current === undefined) throw new Error(`${path} exists and was not written by maildns; refusing to overwrite it`);
    const { model, result } = edit(current);
    if (model === null) {
      fs.rmSync(path, { force: true });
    } else if (model) {
      model.serial = nextSerial(current?.serial ?? 0, new Date());
      const tmp = `${path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, renderZone(model));
      fs.renameSync(tmp, path);
    }
    return result;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function readZone(where: { root: string; path: string }): ZoneModel | undefined {
  const fs = require("node:fs");
  const path: string = require("node:path").resolve(where.root, where.path);
  return fs.existsSync(path) ? parseZone(fs.readFileSync(path, "utf8")) : undefined;
}

export const zoneFileProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ZoneFileInputs) {
    await withZone(inputs, (m) => {
      if (m) throw new Error(`${inputs.path} already exists (another stack or zone owns it); refusing to overwrite it`);
      return { model: { origin: inputs.origin, header: inputs.header, rrsets: [], serial: 0 }, result: undefined };
    });
    return { id: inputs.path, outs: inputs };
  },
  async diff(_id: string, olds: ZoneFileInputs, news: ZoneFileInputs) {
    const replaces = (["path", "origin"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || JSON.stringify(olds.header) !== JSON.stringify(news.header), replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: ZoneFileInputs, news: ZoneFileInputs) {
    await withZone(news, (m) => {
      if (!m) throw new Error(`${news.path} is missing; run pulumi refresh`);
      return { model: { ...m, header: news.header }, result: undefined };
    });
    return { outs: news };
  },
  async read(id: string, props: ZoneFileInputs) {
    const m = readZone(props);
    if (!m) return { id: "", props: {} } as never;
    return { id, props: { ...props, header: m.header.map((h) => (h.type === "SOA" ? (props.header.find((x) => x.type === "SOA") as ZoneRRset) : h)) } };
  },
  async delete(_id: string, props: ZoneFileInputs) {
    await withZone(props, () => ({ model: null, result: undefined }));
  },
};

const same = (a: ZoneRRset, b: ZoneRRset) => a.owner === b.owner && a.type === b.type;

export const zoneRecordSetProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: RecordSetInputs) {
    await withZone(inputs, (m) => {
      if (!m) throw new Error(`${inputs.path} does not exist; the zone resource creates it`);
      if (m.rrsets.some((r) => same(r, inputs.rrset))) {
        throw new Error(`${inputs.rrset.owner} ${inputs.rrset.type} already exists in ${inputs.path} and belongs to another resource; refusing to overwrite it`);
      }
      return { model: { ...m, rrsets: [...m.rrsets, inputs.rrset] }, result: undefined };
    });
    return { id: `${inputs.origin}/${inputs.rrset.owner}/${inputs.rrset.type}`, outs: inputs };
  },
  async diff(_id: string, olds: RecordSetInputs, news: RecordSetInputs) {
    const replaces: string[] = [];
    if (olds.path !== news.path || olds.origin !== news.origin) replaces.push("path");
    if (!same(olds.rrset, news.rrset)) replaces.push("rrset");
    const changes = replaces.length > 0 || JSON.stringify(olds.rrset) !== JSON.stringify(news.rrset);
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: RecordSetInputs, news: RecordSetInputs) {
    await withZone(news, (m) => {
      if (!m) throw new Error(`${news.path} is missing; run pulumi refresh`);
      const rrsets = m.rrsets.some((r) => same(r, news.rrset)) ? m.rrsets.map((r) => (same(r, news.rrset) ? news.rrset : r)) : [...m.rrsets, news.rrset];
      return { model: { ...m, rrsets }, result: undefined };
    });
    return { outs: news };
  },
  async read(id: string, props: RecordSetInputs) {
    const live = readZone(props)?.rrsets.find((r) => same(r, props.rrset));
    if (!live) return { id: "", props: {} } as never;
    return { id, props: { ...props, rrset: live } };
  },
  async delete(_id: string, props: RecordSetInputs) {
    await withZone(props, (m) => (m ? { model: { ...m, rrsets: m.rrsets.filter((r) => !same(r, props.rrset)) }, result: undefined } : { result: undefined }));
  },
};

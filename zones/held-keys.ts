import { generateDkimKey, keyMatchesSpec } from "../components/dkim-key-provider";

/**
 * The DKIM keys a zone resource generates for its record sets, by selector:
 * what key to make (RSA with its modulus size, or Ed25519). A record set's
 * value `(generated DKIM key <selector>)` (lib/dkim.ts) is written as that
 * key's DKIM record. A key is made when its selector first appears, made
 * again only when its algorithm or size changes, and dropped with its
 * selector; the key is the only state it adds (HeldKeys), not a resource.
 */
export type KeySpecs = Record<string, { algorithm?: "ed25519"; keyBits?: number; allowWeakKey?: boolean }>;

/** A zone resource's keys by selector: the DKIM p= value, and the private key as dkim-key-material.ts stores it (a secret output). */
export interface HeldKeys {
  publicKeys: Record<string, string>;
  privateKeys: Record<string, string>;
}

/** What a new resource holds before it makes its keys. */
export const NO_KEYS: HeldKeys = { publicKeys: {}, privateKeys: {} };

const EARLIER_LAYOUT =
  "a plain update would make new keys and drop the old ones. " +
  "Run `maildns migrate-state` once (it moves each key into its zone resource, nothing else changes), then `pulumi up`; " +
  "or keep that layout with `dkimKeys: resources` in the dns settings";

/** Which of `specs`'s keys the old outputs keep (unchanged), and whether any key is made, remade or dropped. */
export function keyChanges(specs: KeySpecs | undefined, olds: Partial<HeldKeys>, where: string, published: (selector: string) => boolean): { kept: Record<string, string>; changed: boolean } {
  const wanted = Object.entries(specs ?? {});
  // A selector whose record this resource already publishes, with no key of its own for it: the key is elsewhere
  // (a DkimKeyPair of the earlier layout), and making a new one would replace the key signers use.
  const elsewhere = wanted.filter(([sel]) => olds.publicKeys?.[sel] === undefined && published(sel));
  if (elsewhere.length > 0) {
    const sels = elsewhere.map(([sel]) => sel).join(", ");
    throw new Error(`${where}: the DKIM key of selector ${sels} is still held by a DkimKeyPair resource of an earlier maildns layout; ${EARLIER_LAYOUT}`);
  }
  const kept = matchingKeys(specs ?? {}, olds.publicKeys ?? {});
  const dropped = Object.keys(olds.publicKeys ?? {}).some((sel) => !(sel in (specs ?? {})));
  return { kept, changed: Object.keys(kept).length < wanted.length || dropped };
}

/** The keys made before (`publicKeys`, by selector) that are still what `specs` asks for: the same algorithm and size. */
export function matchingKeys(specs: KeySpecs, publicKeys: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [sel, spec] of Object.entries(specs)) {
    const pk = publicKeys[sel];
    if (typeof pk === "string" && spec && typeof spec === "object" && keyMatchesSpec(pk, spec)) kept[sel] = pk;
  }
  return kept;
}

/** The keys to keep after this step: the old ones that still match, new ones for the rest. */
export async function holdKeys(specs: KeySpecs | undefined, olds: Partial<HeldKeys>, where: string, published: (selector: string) => boolean): Promise<HeldKeys | undefined> {
  if (specs === undefined) return undefined;
  const { kept } = keyChanges(specs, olds, where, published);
  const out: HeldKeys = { publicKeys: {}, privateKeys: {} };
  // Made in parallel: RSA generation runs on libuv's thread pool (generateDkimKey).
  await Promise.all(Object.entries(specs).map(async ([sel, spec]) => {
    const old = kept[sel] !== undefined ? olds.privateKeys?.[sel] : undefined;
    const key = old !== undefined ? { publicKey: kept[sel] as string, privateKeyPem: old } : await generateDkimKey(spec);
    out.publicKeys[sel] = key.publicKey;
    out.privateKeys[sel] = key.privateKeyPem;
  }));
  return out;
}

/** The keys an existing resource's outputs hold, for read (refresh) to hand back unchanged. */
export function keptKeys(props: Partial<HeldKeys>): Partial<HeldKeys> {
  return props.publicKeys ? { publicKeys: props.publicKeys, privateKeys: props.privateKeys ?? {} } : {};
}

/** Whether an owner name (relative to its zone, or full) is a selector's DKIM record: <selector>._domainkey[.<rest>]. */
export function isSelectorRecord(selector: string, owner: string): boolean {
  return owner === `${selector}._domainkey` || owner.startsWith(`${selector}._domainkey.`);
}

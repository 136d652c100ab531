import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** A real 2048-bit public key the mocked DkimKeyPair "generates". */
export const MOCK_PUBLIC_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
/** A real Ed25519 public key as DKIM publishes it (the raw 32 octets, RFC 8463 §4.2), for a key pair with algorithm "ed25519". */
export const MOCK_ED25519_PUBLIC_KEY = Buffer.from(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("base64");

/**
 * Pulumi mocks that record every resource with its inputs. Zone look-ups
 * answer with ids derived from the name; the DKIM key pair returns a real
 * public key and a placeholder private key.
 */
export function installMocks(): Registered[] {
  const registered: Registered[] = [];
  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state = { ...args.inputs };
        if (args.type === "pulumi-nodejs:dynamic/maildns:DkimKeyPair") {
          Object.assign(state, { publicKey: args.inputs.algorithm === "ed25519" ? MOCK_ED25519_PUBLIC_KEY : MOCK_PUBLIC_KEY, privateKeyPem: "-----BEGIN PRIVATE KEY-----\nmock\n-----END PRIVATE KEY-----\n", createdAt: "2026-01-01T00:00:00.000Z" });
        }
        // A zone resource (zone file, RFC 2136) generates the keys it is asked for: the same mock keys.
        const keys = args.inputs.keys as Record<string, { algorithm?: string }> | undefined;
        if (keys && typeof keys === "object" && /^pulumi-nodejs:dynamic\/maildns:(ZoneFile|ZoneFileRecords|Rfc2136Records)$/.test(args.type)) {
          const entries = Object.entries(keys);
          Object.assign(state, {
            publicKeys: Object.fromEntries(entries.map(([sel, k]) => [sel, k.algorithm === "ed25519" ? MOCK_ED25519_PUBLIC_KEY : MOCK_PUBLIC_KEY])),
            privateKeys: Object.fromEntries(entries.map(([sel]) => [sel, "-----BEGIN PRIVATE KEY-----\nmock\n-----END PRIVATE KEY-----\n"])),
          });
        }
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        if (args.token === "cloudflare:index/getZone:getZone") return { id: `cf-${(args.inputs.filter as { name: string }).name}`, name: (args.inputs.filter as { name: string }).name };
        if (args.token === "aws:route53/getZone:getZone") return { zoneId: `Z-${args.inputs.name}`, name: args.inputs.name };
        return args.inputs;
      },
    },
    "maildns",
    "test",
    false,
  );
  return registered;
}

export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Waits until no resource has been registered for a short while. */
export async function settled(registered: Registered[]): Promise<void> {
  let last = -1;
  while (last !== registered.length) {
    last = registered.length;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resources of one type, as `name -> inputs` without engine-internal keys. */
export function byType(registered: Registered[], type: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    registered.filter((r) => r.type === type).map((r) => [r.name, Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !k.startsWith("__")))]),
  );
}

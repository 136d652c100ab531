import type * as pulumi from "@pulumi/pulumi";
import type { DmarcSpec } from "../lib/dmarc";
import type { ZoneHandle } from "../zones/zone";

/** A mail host this domain runs: A/AAAA records, an MX, optionally PTRs. */
export interface MailHostArgs {
  /** Host name, relative to the domain ("mail") or absolute ("mail.example.com"). */
  name: string;
  ipv4?: string[];
  ipv6?: string[];
  /** MX preference (default 10, 20, ... in order). */
  preference?: number;
  ptr?: {
    /** Reverse zones (in-addr.arpa / ip6.arpa); each address's PTR goes in the one that holds it. */
    zones?: ZoneHandle[];
    /** AWS: Elastic IP allocation ids of this host (aws.ec2.EipDomainName). */
    eipAllocationIds?: pulumi.Input<string>[];
  };
  /**
   * DANE for SMTP (RFC 7672): TLSA records at `_25._tcp.<host>`, one per
   * certificate or public key (PEM); several are a rollover, old and new side
   * by side. Each is the SHA-256 of the key (`3 1 1`, or `2 1 1` for the
   * issuing CA's key with usage dane-ta). Senders use them only in a
   * DNSSEC-signed zone.
   */
  tlsa?: { certificates?: string[]; publicKeys?: string[]; usage?: "dane-ee" | "dane-ta" };
}

/** An MX target run by someone else (a hosted mail provider). */
export interface ExternalMxArgs {
  host: string;
  preference: number;
}

export interface SpfArgs {
  ip4?: string[];
  ip6?: string[];
  include?: string[];
  /** Hosts whose A/AAAA may send (`a:<host>`). */
  a?: string[];
  /** Domains whose MX hosts may send (`mx:<domain>`); `true` for this domain. */
  mx?: (string | true)[];
  redirect?: string;
  /** Final qualifier: "-" (default), "~" or "?". */
  all?: "-" | "~" | "?";
  /** Authorise the mail hosts' addresses (default true). */
  authorizeMailHosts?: boolean;
}

export interface DkimSelectorArgs {
  selector: string;
  /** Generated RSA key size (default 2048). */
  keyBits?: 1024 | 2048 | 3072 | 4096;
  allowWeakKey?: boolean;
  /** A public key managed elsewhere (base64), instead of a generated one. */
  publicKey?: string;
  /** "rsa" (default) or "ed25519" (RFC 8463), for a generated key and a given publicKey alike; keyBits is RSA only. */
  keyType?: "rsa" | "ed25519";
  /**
   * Publish a revoked record (p=) until the selector is removed. A generated key
   * stays in the state (and in `dkimPrivateKeys`) meanwhile, so the rotation can
   * be rolled back; removing the selector deletes it.
   */
  retired?: boolean;
}

/** The DMARC record (lib/dmarc's spec), plus where report authorisations go. */
export interface DmarcArgs extends DmarcSpec {
  /** Zones of report destinations in other domains you manage: the RFC 7489 §7.1 authorisation is created there. */
  reportZones?: ZoneHandle[];
}

/** MTA-STS (RFC 8461): the policy is rendered from the MX targets; serve it yourself at https://mta-sts.<domain>/.well-known/mta-sts.txt. */
export interface MtaStsArgs {
  /** enforce; testing (senders report failures but deliver); none (withdraws a policy). */
  mode: "enforce" | "testing" | "none";
  /** Seconds senders keep the policy (default 604800, one week; at most 31557600). */
  maxAge?: number;
  /** mx patterns beside the MX targets, e.g. "*.mail.example.net" for a provider's pool. */
  extraMx?: string[];
  /** The mta-sts.<domain> host record: the addresses or the CNAME target where the policy is served. Omit to publish it yourself. */
  host?: { ipv4?: string[]; ipv6?: string[]; cname?: string };
}

/** SMTP TLS reporting (RFC 8460): where senders send reports of TLS failures. */
export interface TlsRptArgs {
  /** Addresses (written as mailto:), mailto: or https: URIs. */
  rua: string[];
}

/** The BIMI assertion record `<selector>._bimi.<domain>`. */
export interface BimiArgs {
  /** Default "default". */
  selector?: string;
  /** https URL of the logo (SVG Tiny PS). */
  logo: string;
  /** https URL of the mark certificate (VMC/CMC, PEM), which some mailbox providers require. */
  authority?: string;
}

export type TtlKind = "address" | "mx" | "spf" | "dkim" | "dmarc" | "ptr";

export interface MailDomainArgs {
  domain: string;
  zone: ZoneHandle;
  mailHosts?: MailHostArgs[];
  mx?: ExternalMxArgs[];
  /** The domain never receives or sends mail (RFC 7505): MX 0 ., v=spf1 -all, p=reject. */
  nullMx?: boolean;
  /** false: publish no SPF record. */
  spf?: SpfArgs | false;
  dkim?: DkimSelectorArgs[];
  /** false: publish no DMARC record. Default p=reject with no reports. */
  dmarc?: DmarcArgs | false;
  /** Other apex TXT values (site verification); merged with SPF into one record set. */
  extraTxt?: string[];
  mtaSts?: MtaStsArgs;
  tlsRpt?: TlsRptArgs;
  /** BIMI (brand logo): needs DMARC at p=quarantine or p=reject. */
  bimi?: BimiArgs;
  ttl?: Partial<Record<TtlKind, number>>;
  /** Rule ids to switch off, and rule thresholds. */
  rules?: { disabled?: string[]; options?: Record<string, Record<string, unknown>> };
}

export const DEFAULT_TTL: Record<TtlKind, number> = { address: 3600, mx: 3600, spf: 3600, dkim: 3600, dmarc: 3600, ptr: 3600 };

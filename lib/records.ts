/**
 * The normalised record set every zone adapter takes: `name` is an FQDN,
 * lowercase, without the trailing dot; `values` are presentation form with
 * TXT values unsplit (one string each). One RecordSet per name and type.
 */
export interface RecordSet {
  name: string;
  type: RecordType;
  ttl: number;
  values: string[];
}

export type RecordType = "A" | "AAAA" | "MX" | "TXT" | "CNAME" | "PTR" | "NS" | "CAA" | "SRV" | "TLSA";


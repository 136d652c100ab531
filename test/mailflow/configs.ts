import { namedConf } from "../helpers/bind";

/**
 * The configuration files of the mail-flow rig (test/mailflow/rig.ts): BIND,
 * a sending and a receiving Postfix, OpenDKIM (sign and verify), OpenDMARC,
 * the SPF policy service and the DNS resolver of OpenDKIM's verifier.
 */
export const NET = {
  sender: "192.0.2.10",
  receiver: "192.0.2.20",
  /** The mail domain maildns provisions. */
  domain: "example.com",
  senderHost: "mx1.example.com",
  /** The receiver's own domain and host, served by the rig's BIND as a static zone. */
  receiverDomain: "example.net",
  receiverHost: "mx.example.net",
  reverseZone: "2.0.192.in-addr.arpa",
  mailbox: "bob@example.net",
  from: "alice@example.com",
} as const;

/** Milter ports on loopback (each namespace has its own): OpenDKIM, OpenDMARC. */
const DKIM_PORT = 8891;
const DMARC_PORT = 8893;
const milter = (port: number) => `inet:127.0.0.1:${port}`;
const socket = (port: number) => `inet:${port}@127.0.0.1`;

export interface TsigKey {
  name: string;
  secret: string;
}

export function namedConfig(dir: string, key: TsigKey): string {
  const dynamic = (zone: string) => `zone "${zone}" { type primary; file "${dir}/${zone}.zone"; allow-update { key "${key.name}"; }; };`;
  return namedConf({ dir, key, port: 53, listen: [NET.receiver, "127.0.0.1"], zones: [dynamic(NET.domain), dynamic(NET.reverseZone), `zone "${NET.receiverDomain}" { type primary; file "${dir}/${NET.receiverDomain}.zone"; };`] });
}


/** A zone with only its SOA and NS (maildns adds the rest), or the receiver's own domain. */
export function zoneFile(zone: string): string {
  const head = `$ORIGIN ${zone}.\n@ 3600 IN SOA ns.${NET.receiverDomain}. hostmaster.${NET.receiverDomain}. 1 3600 900 1209600 300\n@ 3600 IN NS ns.${NET.receiverDomain}.\n`;
  if (zone !== NET.receiverDomain) return head;
  return `${head}@ 3600 IN MX 10 ${NET.receiverHost}.\nns 3600 IN A ${NET.receiver}\nmx 3600 IN A ${NET.receiver}\n`;
}

/** master.cf of both instances: nothing chrooted, logging through postlogd, the SPF policy service. */
export function masterCf(policyConf?: string): string {
  const rows = [
    "smtp inet n - n - - smtpd",
    "pickup unix n - n 60 1 pickup",
    "cleanup unix n - n - 0 cleanup",
    "qmgr unix n - n 300 1 qmgr",
    "rewrite unix - - n - - trivial-rewrite",
    "bounce unix - - n - 0 bounce",
    "defer unix - - n - 0 bounce",
    "trace unix - - n - 0 bounce",
    "verify unix - - n - 1 verify",
    "flush unix n - n 1000? 0 flush",
    "proxymap unix - - n - - proxymap",
    "proxywrite unix - - n - 1 proxymap",
    "smtp unix - - n - - smtp",
    "relay unix - - n - - smtp",
    "showq unix n - n - - showq",
    "error unix - - n - - error",
    "retry unix - - n - - error",
    "discard unix - - n - - discard",
    "local unix - n n - - local",
    "virtual unix - n n - - virtual",
    "anvil unix - - n - 1 anvil",
    "scache unix - - n - 1 scache",
    "postlog unix-dgram n - n - 1 postlogd",
  ];
  if (policyConf) rows.push(`policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf ${policyConf}`);
  return `${rows.join("\n")}\n`;
}

function mainCfCommon(dir: string): string {
  return `compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = ${dir}/maillog
maillog_file_prefixes = ${dir}
inet_protocols = ipv4
alias_maps =
alias_database =
biff = no
smtpd_tls_security_level = none
smtp_tls_security_level = none
milter_default_action = tempfail
minimal_backoff_time = 2s
maximal_backoff_time = 4s
queue_run_delay = 2s
`;
}

/** The sending host mx1.example.com: signs through OpenDKIM, looks up example.net's MX itself. */
export function senderMainCf(dir: string): string {
  return `${mainCfCommon(dir)}myhostname = ${NET.senderHost}
mydomain = ${NET.domain}
myorigin = ${NET.domain}
mydestination = $myhostname, localhost, ${NET.domain}
local_transport = discard
inet_interfaces = ${NET.sender}
smtp_bind_address = ${NET.sender}
mynetworks = 127.0.0.0/8, ${NET.sender}/32
smtpd_milters = ${milter(DKIM_PORT)}
non_smtpd_milters = $smtpd_milters
`;
}

/** The receiving host mx.example.net: SPF policy service, OpenDKIM (verify), OpenDMARC; mail for bob in a Maildir. */
export function receiverMainCf(dir: string): string {
  return `${mainCfCommon(dir)}myhostname = ${NET.receiverHost}
mydomain = ${NET.receiverDomain}
mydestination = localhost
inet_interfaces = ${NET.receiver}
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = ${NET.receiverDomain}
virtual_mailbox_base = ${dir}/mail
virtual_mailbox_maps = inline:{ ${NET.mailbox}=bob/ }
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
smtpd_recipient_restrictions = reject_unauth_destination, check_policy_service unix:private/policyd-spf
policyd-spf_time_limit = 3600
smtpd_milters = ${milter(DKIM_PORT)}, ${milter(DMARC_PORT)}
`;
}

/** SPF results as Authentication-Results headers, never a rejection: DMARC decides. */
export function policydSpfConf(): string {
  return `debugLevel = 1
TestOnly = 1
HELO_reject = False
Mail_From_reject = False
PermError_reject = False
TempError_Defer = False
skip_addresses = 127.0.0.0/8
Header_Type = AR
Authserv_Id = ${NET.receiverHost}
`;
}

/** OpenDKIM signing with the KeyTable and SigningTable `maildns dkim-keys --format opendkim` writes. */
export function signerOpendkimConf(dir: string, keyDir: string): string {
  return `Mode s
Socket ${socket(DKIM_PORT)}
PidFile ${dir}/opendkim.pid
KeyTable file:${keyDir}/KeyTable
SigningTable refile:${keyDir}/SigningTable
Canonicalization relaxed/simple
InternalHosts 127.0.0.1, ${NET.sender}
RequireSafeKeys false
Syslog no
`;
}

/** OpenDKIM verifying through libunbound (ResolverConfiguration: an unbound.conf), which forwards to the rig's BIND and caches nothing (keys change between steps). */
export function verifierOpendkimConf(dir: string): string {
  return `Mode v
Socket ${socket(DKIM_PORT)}
PidFile ${dir}/opendkim.pid
AuthservID ${NET.receiverHost}
AlwaysAddARHeader yes
ResolverConfiguration ${dir}/unbound.conf
RequireSafeKeys false
Syslog no
`;
}

export function unboundConf(): string {
  return `server:
  do-not-query-localhost: no
  cache-max-ttl: 0
  cache-max-negative-ttl: 0
forward-zone:
  name: "."
  forward-addr: ${NET.receiver}
`;
}

/** OpenDMARC enforcing p=reject (RejectFailures), using the SPF and DKIM results of this host. */
export function opendmarcConf(dir: string): string {
  return `Socket ${socket(DMARC_PORT)}
PidFile ${dir}/opendmarc.pid
AuthservID ${NET.receiverHost}
TrustedAuthservIDs ${NET.receiverHost}
RejectFailures true
SPFIgnoreResults false
SPFSelfValidate true
FailureReports false
RequiredHeaders false
Syslog false
`;
}

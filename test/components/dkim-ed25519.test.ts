import { byType, installMocks, MOCK_ED25519_PUBLIC_KEY, MOCK_PUBLIC_KEY, promiseOf, settled } from "../helpers/mocks";
const registered = installMocks();

import { MailDomain } from "../../components/mail-domain";
import { planMailDomain } from "../../components/mail-domain-plan";
import { MailDnsError } from "../../lib/errors";
import { cloudflareZone } from "../../zones/cloudflare";

const PAIR = "pulumi-nodejs:dynamic/maildns:DkimKeyPair";
const CF = "cloudflare:index/dnsRecord:DnsRecord";
const MX = [{ host: "mx.example.net", preference: 10 }];

describe("MailDomain with a generated Ed25519 DKIM selector (RFC 8463, mocks)", () => {
  let md: MailDomain;
  beforeAll(async () => {
    md = new MailDomain("ed", {
      domain: "example.com",
      zone: cloudflareZone({ name: "example.com", zoneId: "zone-com" }),
      mx: MX,
      dkim: [{ selector: "s1" }, { selector: "e1", keyType: "ed25519" }, { selector: "e0", keyType: "ed25519", retired: true }],
    });
    await promiseOf(md.records);
    await settled(registered);
  });

  test("one DkimKeyPair per selector: the RSA one with the inputs RSA keys always had, the Ed25519 ones with algorithm ed25519 and no keyBits", () => {
    expect(byType(registered, PAIR)).toEqual({
      "ed-dkim-s1": { selector: "s1", keyBits: 2048, allowWeakKey: false },
      "ed-dkim-e1": { selector: "e1", algorithm: "ed25519" },
      // A retired selector keeps its key, of the same algorithm, until it is removed.
      "ed-dkim-e0": { selector: "e0", algorithm: "ed25519" },
    });
  });

  test("the e1 record is v=DKIM1; k=ed25519; p=<the raw 32-octet key>; s1 stays k=rsa", async () => {
    const dkim = await promiseOf(md.dkimRecords);
    expect(dkim).toEqual([
      { selector: "s1", name: "s1._domainkey.example.com", value: `v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}` },
      { selector: "e1", name: "e1._domainkey.example.com", value: `v=DKIM1; k=ed25519; p=${MOCK_ED25519_PUBLIC_KEY}` },
      { selector: "e0", name: "e0._domainkey.example.com", value: "v=DKIM1; k=rsa; p=" },
    ]);
    expect(Buffer.from(MOCK_ED25519_PUBLIC_KEY, "base64")).toHaveLength(32);
    const e1 = Object.values(byType(registered, CF)).find((r) => r.name === "e1._domainkey.example.com");
    expect(e1?.content).toBe(`"v=DKIM1; k=ed25519; p=${MOCK_ED25519_PUBLIC_KEY}"`);
    expect(Object.keys(await promiseOf(md.dkimPrivateKeys)).sort()).toEqual(["e0", "e1", "s1"]);
  });

  test("keyBits with keyType ed25519 is refused before any resource, naming the field, rule and RFC 8463", () => {
    let e: unknown;
    try {
      planMailDomain({ domain: "example.com", zone: cloudflareZone({ name: "example.com", zoneId: "z" }), mx: MX, dkim: [{ selector: "s1" }, { selector: "e1", keyType: "ed25519", keyBits: 2048 }] });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(MailDnsError);
    expect(e).toMatchObject({ code: "invalid-dkim", domain: "example.com", field: "dkim[1].keyBits", ruleId: "dkim-key-size", rfc: "RFC 8463 §4.2" });
  });

  test("an unknown keyType on a generated selector is refused, naming dkim[i].keyType", () => {
    expect(() => planMailDomain({ domain: "example.com", zone: cloudflareZone({ name: "example.com", zoneId: "z" }), mx: MX, dkim: [{ selector: "x1", keyType: "dsa" as never }] })).toThrow(
      expect.objectContaining({ field: "dkim[0].keyType", ruleId: "dkim-record-syntax" }),
    );
  });
});

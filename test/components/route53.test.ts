import { byType, installMocks, MOCK_PUBLIC_KEY, promiseOf, settled } from "../helpers/mocks";
const registered = installMocks();

import { MailDomain } from "../../components/mail-domain";
import { route53Zone } from "../../zones/route53";
import { splitTxt } from "../../lib/txt";
import { DMARC, fullDomain, REV6_10, REV6_11, SPF } from "./full-domain";

const R53 = "aws:route53/record:Record";

describe("MailDomain on Route 53 (mocks)", () => {
  beforeAll(async () => {
    const args = fullDomain({
      zone: route53Zone({ name: "example.com", zoneId: "Z-COM" }),
      report: route53Zone({ name: "example.net" }), // looked up by name
      rev4: route53Zone({ name: "2.0.192.in-addr.arpa", zoneId: "Z-REV4" }),
      rev6: route53Zone({ name: "8.b.d.0.1.0.0.2.ip6.arpa", zoneId: "Z-REV6" }),
    });
    args.mailHosts![0]!.ptr = { ...args.mailHosts![0]!.ptr, eipAllocationIds: ["eipalloc-0abc"] };
    const md = new MailDomain("example", args);
    await promiseOf(md.records);
    await settled(registered);
  });

  test("one record set per name and type, all values in it, allowOverwrite false", () => {
    const sets = Object.values(byType(registered, R53)).map((i) => `${i.zoneId} ${i.type} ${i.name} ${i.ttl} ${i.allowOverwrite} ${JSON.stringify(i.records)}`);
    const dkim = splitTxt(`v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}`).join('""');
    expect(sets.sort()).toEqual([
      `Z-COM A mx1.example.com 3600 false ["192.0.2.10"]`,
      `Z-COM A mx2.example.com 3600 false ["192.0.2.11"]`,
      `Z-COM AAAA mx1.example.com 3600 false ["2001:db8::10"]`,
      `Z-COM AAAA mx2.example.com 3600 false ["2001:db8::11"]`,
      `Z-COM MX example.com 3600 false ["10 mx1.example.com.","20 mx2.example.com."]`,
      `Z-COM TXT _dmarc.example.com 3600 false ${JSON.stringify([DMARC])}`,
      `Z-COM TXT example.com 3600 false ${JSON.stringify([SPF, "google-site-verification=abc123"])}`,
      `Z-COM TXT s2025._domainkey.example.com 3600 false ["v=DKIM1; k=rsa; p="]`,
      `Z-COM TXT s2026._domainkey.example.com 3600 false ${JSON.stringify([dkim])}`,
      `Z-REV4 PTR 10.2.0.192.in-addr.arpa 3600 false ["mx1.example.com."]`,
      `Z-REV4 PTR 11.2.0.192.in-addr.arpa 3600 false ["mx2.example.com."]`,
      `Z-REV6 PTR ${REV6_10} 3600 false ["mx1.example.com."]`,
      `Z-REV6 PTR ${REV6_11} 3600 false ["mx2.example.com."]`,
      `Z-example.net TXT example.com._report._dmarc.example.net 3600 false ["v=DMARC1"]`,
    ].sort());
  });

  test('the 2048-bit DKIM value is 255-octet chunks joined with ""', () => {
    const rec = Object.values(byType(registered, R53)).find((i) => i.name === "s2026._domainkey.example.com");
    const value = (rec?.records as string[])[0] as string;
    const chunks = value.split('""');
    expect(chunks).toHaveLength(2);
    expect(Buffer.byteLength(chunks[0] as string)).toBe(255);
    expect(chunks.join("")).toBe(`v=DKIM1; k=rsa; p=${MOCK_PUBLIC_KEY}`);
  });

  test("reverse DNS of an Elastic IP is an EipDomainName for the mail host", () => {
    expect(byType(registered, "aws:ec2/eipDomainName:EipDomainName")).toEqual({
      "example-eip-ptr-0": { allocationId: "eipalloc-0abc", domainName: "mx1.example.com" },
    });
  });
});

import { check, rr, summary } from "../../helpers/rules";

const ED = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
/** The same key as a 44-octet SubjectPublicKeyInfo, a common mistake for k=ed25519. */
const ED_SPKI = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(ED, "base64")]).toString("base64");

describe("dkim-record-syntax (RFC 6376 §3.6.1)", () => {
  test("passes a valid key record and a revoked one", () => {
    expect(check("dkim-record-syntax", [rr("s1._domainkey.example.com", "TXT", `v=DKIM1; k=ed25519; p=${ED}`), rr("old._domainkey.example.com", "TXT", "v=DKIM1; p=")])).toEqual([]);
  });
  test("flags v not first and a missing p", () => {
    const f = check("dkim-record-syntax", [rr("s1._domainkey.example.com", "TXT", `k=ed25519; v=DKIM1; p=${ED}`), rr("s2._domainkey.example.com", "TXT", "v=DKIM1; k=rsa")]);
    expect(summary(f)).toEqual(["dkim-record-syntax s1._domainkey.example.com TXT error", "dkim-record-syntax s2._domainkey.example.com TXT error"]);
  });
  test("an ed25519 key is the raw 32-octet key (RFC 8463 §4.2): 32 octets pass, 31, 33 and a SubjectPublicKeyInfo do not", () => {
    const raw = Buffer.from(ED, "base64");
    expect(check("dkim-record-syntax", [rr("e1._domainkey.example.com", "TXT", `v=DKIM1; k=ed25519; p=${raw.toString("base64")}`)])).toEqual([]);
    const f = check("dkim-record-syntax", [
      rr("e1._domainkey.example.com", "TXT", `v=DKIM1; k=ed25519; p=${raw.subarray(0, 31).toString("base64")}`),
      rr("e2._domainkey.example.com", "TXT", `v=DKIM1; k=ed25519; p=${Buffer.concat([raw, Buffer.from([0])]).toString("base64")}`),
      rr("e3._domainkey.example.com", "TXT", `v=DKIM1; k=ed25519; p=${ED_SPKI}`),
    ]);
    expect(summary(f)).toEqual([
      "dkim-record-syntax e1._domainkey.example.com TXT error",
      "dkim-record-syntax e2._domainkey.example.com TXT error",
      "dkim-record-syntax e3._domainkey.example.com TXT error",
    ]);
    expect(f.map((x) => x.rfc)).toEqual(["RFC 8463 §4.2", "RFC 8463 §4.2", "RFC 8463 §4.2"]);
    // The message names the length found.
    expect(f.map((x) => x.message.match(/\b(\d+) octets/)?.[1])).toEqual(["31", "33", "44"]);
  });
});

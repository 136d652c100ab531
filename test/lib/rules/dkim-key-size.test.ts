import { generateKeyPairSync } from "node:crypto";
import { check, rr, summary } from "../../helpers/rules";

const key = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
const k512 = key(512);
const k1024 = key(1024);
const k2048 = key(2048);

describe("dkim-key-size (RFC 8301 §3.2)", () => {
  test("passes 2048 bits", () => expect(check("dkim-key-size", [rr("s._domainkey.example.com", "TXT", `v=DKIM1; k=rsa; p=${k2048}`)])).toEqual([]));
  test("errors under 1024, warns under 2048", () => {
    const f = check("dkim-key-size", [rr("a._domainkey.example.com", "TXT", `v=DKIM1; p=${k512}`), rr("b._domainkey.example.com", "TXT", `v=DKIM1; p=${k1024}`)]);
    expect(summary(f)).toEqual(["dkim-key-size a._domainkey.example.com TXT error", "dkim-key-size b._domainkey.example.com TXT warning"]);
  });
  test("the minimum is configurable", () => {
    expect(summary(check("dkim-key-size", [rr("b._domainkey.example.com", "TXT", `v=DKIM1; p=${k1024}`)], { options: { minimumBits: 2048 } }))).toEqual([
      "dkim-key-size b._domainkey.example.com TXT error",
    ]);
  });
});

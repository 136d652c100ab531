import { check, rr, summary } from "../../helpers/rules";

const ED = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

describe("dkim-record-syntax (RFC 6376 §3.6.1)", () => {
  test("passes a valid key record and a revoked one", () => {
    expect(check("dkim-record-syntax", [rr("s1._domainkey.example.com", "TXT", `v=DKIM1; k=ed25519; p=${ED}`), rr("old._domainkey.example.com", "TXT", "v=DKIM1; p=")])).toEqual([]);
  });
  test("flags v not first and a missing p", () => {
    const f = check("dkim-record-syntax", [rr("s1._domainkey.example.com", "TXT", `k=ed25519; v=DKIM1; p=${ED}`), rr("s2._domainkey.example.com", "TXT", "v=DKIM1; k=rsa")]);
    expect(summary(f)).toEqual(["dkim-record-syntax s1._domainkey.example.com TXT error", "dkim-record-syntax s2._domainkey.example.com TXT error"]);
  });
});

import { check, rr, summary } from "../../helpers/rules";

describe("tlsrpt-record-syntax (RFC 8460 §3)", () => {
  const at = (v: string) => check("tlsrpt-record-syntax", [rr("_smtp._tls.example.com", "TXT", v)]);
  test.each(["v=TLSRPTv1; rua=mailto:tls@example.com", "v=TLSRPTv1;rua=mailto:a@example.com,https://r.example.com/tls;"])("passes %s", (v) => expect(at(v)).toEqual([]));
  test.each(["v=TLSRPTv1; rua=tls@example.com", "v=TLSRPTv1", "v=tlsrptv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", "v=TLSRPTv1; rua=http://r.example.com"])("flags %s", (v) => {
    expect(summary(at(v))).toEqual(["tlsrpt-record-syntax _smtp._tls.example.com TXT error"]);
  });
});

import { check, rr, summary } from "../../helpers/rules";

describe("tlsrpt-single-record (RFC 8460 §3)", () => {
  test("passes one", () => expect(check("tlsrpt-single-record", [rr("_smtp._tls.example.com", "TXT", "v=TLSRPTv1; rua=mailto:a@example.com")])).toEqual([]));
  test("flags two", () => {
    expect(summary(check("tlsrpt-single-record", [rr("_smtp._tls.example.com", "TXT", "v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com")]))).toEqual(["tlsrpt-single-record _smtp._tls.example.com TXT error"]);
  });
});

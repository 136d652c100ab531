import { canonicalName, isAtOrBelow, nameProblems, normalizeName, organizationalDomain, relativeName } from "../../lib/names";
import { MailDnsError } from "../../lib/errors";

describe("names (RFC 1035 §2.3.4, RFC 1123 §2.1, RFC 5890)", () => {
  test("canonical form: lowercase, no trailing dot", () => {
    expect(canonicalName("Mail.Example.COM.")).toBe("mail.example.com");
  });

  test("IDN U-labels become A-labels (RFC 5890 §2.3.2.1)", () => {
    expect(canonicalName("bücher.example")).toBe("xn--bcher-kva.example");
    expect(normalizeName("Bücher.Example.")).toBe("xn--bcher-kva.example");
  });

  test("a label is at most 63 octets (RFC 1035 §2.3.4)", () => {
    const l63 = "a".repeat(63);
    expect(nameProblems(`${l63}.example.com`)).toEqual([]);
    expect(nameProblems(`${l63}b.example.com`)).toHaveLength(1);
  });

  test("a name is at most 253 octets in presentation form (RFC 1035 §2.3.4)", () => {
    const name = `${Array(4).fill("a".repeat(62)).join(".")}.com`; // 4*63 + 3 = 255
    expect(nameProblems(name).some((p) => p.includes("253"))).toBe(true);
  });

  test("host names are LDH and may start with a digit (RFC 1123 §2.1)", () => {
    expect(nameProblems("3com.example", "host")).toEqual([]);
    expect(nameProblems("-bad.example", "host")).toHaveLength(1);
    expect(nameProblems("bad-.example", "host")).toHaveLength(1);
    expect(nameProblems("under_score.example", "host")).toHaveLength(1);
  });

  test("owner names allow the underscore labels mail uses", () => {
    for (const n of ["_dmarc.example.com", "sel._domainkey.example.com", "example.com._report._dmarc.example.net", "_mta-sts.example.com"]) {
      expect(nameProblems(n, "owner")).toEqual([]);
    }
    expect(nameProblems("_dmarc.example.com", "host")).toHaveLength(1);
  });

  test("empty labels and all-numeric top labels are rejected", () => {
    expect(nameProblems("a..example.com")).toContain("it has an empty label");
    expect(nameProblems("192.0.2.1").length).toBeGreaterThan(0);
  });

  test("normalizeName throws MailDnsError naming field, value and rule", () => {
    try {
      normalizeName("bad..name", { field: "mailHosts[0].name", domain: "example.com" });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(MailDnsError);
      const m = e as MailDnsError;
      expect(m.code).toBe("invalid-name");
      expect(m.ruleId).toBe("name-syntax");
      expect(m.field).toBe("mailHosts[0].name");
      expect(m.message).toContain("bad..name");
    }
    expect(() => normalizeName(42)).toThrow(MailDnsError);
  });

  test("relations between names", () => {
    expect(isAtOrBelow("mail.example.com", "example.com")).toBe(true);
    expect(isAtOrBelow("badexample.com", "example.com")).toBe(false);
    expect(relativeName("mail.example.com", "example.com")).toBe("mail");
    expect(relativeName("example.com", "example.com")).toBe("@");
  });

  test("organisational domain from the Public Suffix List (RFC 7489 §3.2)", () => {
    expect(organizationalDomain("mail.example.com")).toBe("example.com");
    expect(organizationalDomain("a.b.example.co.uk")).toBe("example.co.uk");
  });
});

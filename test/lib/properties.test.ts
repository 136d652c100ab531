import fc from "fast-check";
import { MailDnsError } from "../../lib/errors";
import { normalizeName } from "../../lib/names";
import { octets, parseTxt, quoteTxt, splitTxt } from "../../lib/txt";
import { buildSpf, parseSpf, policyFromRecord, SpfPolicy } from "../../lib/spf";
import { buildDmarc, DmarcSpec, parseDmarc, specFromTags } from "../../lib/dmarc";
import { buildDkim, parseDkim, specFromRecord } from "../../lib/dkim";
import { parseMx } from "../../lib/mx";

/** Property tests: 10,000 runs each. */
const RUNS = { numRuns: 10_000 };

/** Runs `f`; anything thrown other than a MailDnsError fails the property. */
function onlyMailDnsError(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof MailDnsError;
  }
}

const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme-ascii" }));
const spfish = fc.array(fc.constantFrom("v=spf1", " ", "a", "mx", "ip4:", "ip6:", "1.2.3.4", "::1", "/", "//", "24", "include:", "example.com", "%{", "d", "}", "%", "-", "~", "+", "?", "all", "redirect=", "exp=", ":", ".", "ptr", "exists:")).map((a) => a.join(""));

describe("parsers never throw anything but MailDnsError", () => {
  test("parseSpf", () => fc.assert(fc.property(fc.oneof(text, spfish), (s) => onlyMailDnsError(() => parseSpf(s))), RUNS));
  test("parseDmarc", () => fc.assert(fc.property(text, (s) => onlyMailDnsError(() => parseDmarc(`v=DMARC1; ${s}`)) && onlyMailDnsError(() => parseDmarc(s))), RUNS));
  test("parseDkim", () => fc.assert(fc.property(text, (s) => onlyMailDnsError(() => parseDkim(s)) && onlyMailDnsError(() => parseDkim(`v=DKIM1; p=${s}`))), RUNS));
  test("parseTxt", () => fc.assert(fc.property(text, (s) => onlyMailDnsError(() => parseTxt(s))), RUNS));
  test("normalizeName", () => fc.assert(fc.property(text, (s) => onlyMailDnsError(() => normalizeName(s))), RUNS));
  test("parseMx", () => fc.assert(fc.property(text, (s) => onlyMailDnsError(() => parseMx(s))), RUNS));
});

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("com", "net", "example", "xn--zckzah")).map(([ls, tld]) => [...ls, tld].join("."));
const ip4 = fc.tuple(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([a, p]) => (p === undefined ? a : `${a}/${p}`));
const ip6 = fc.tuple(fc.ipV6(), fc.option(fc.integer({ min: 0, max: 128 }), { nil: undefined })).map(([a, p]) => (p === undefined ? a : `${a}/${p}`));

const spfPolicy: fc.Arbitrary<SpfPolicy> = fc.record(
  {
    a: fc.array(fc.oneof(fc.constant(true as const), domain), { maxLength: 2 }),
    mx: fc.array(fc.oneof(fc.constant(true as const), domain), { maxLength: 2 }),
    ip4: fc.array(ip4, { maxLength: 3 }),
    ip6: fc.array(ip6, { maxLength: 3 }),
    include: fc.array(domain, { maxLength: 3 }),
    all: fc.constantFrom("-", "~", "?", "+"),
    exp: domain,
  },
  { requiredKeys: ["all"] },
) as fc.Arbitrary<SpfPolicy>;

const mailto = fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,12}$/), domain, fc.option(fc.constantFrom("!10m", "!500k", "!1g"), { nil: undefined })).map(([l, d, s]) => `mailto:${l}@${d}${s ?? ""}`);
const policy = fc.constantFrom("none", "quarantine", "reject") as fc.Arbitrary<"none" | "quarantine" | "reject">;
const dmarcSpec: fc.Arbitrary<DmarcSpec> = fc.record(
  {
    p: policy, sp: policy, np: policy,
    adkim: fc.constantFrom("r", "s") as fc.Arbitrary<"r" | "s">,
    aspf: fc.constantFrom("r", "s") as fc.Arbitrary<"r" | "s">,
    rua: fc.array(mailto, { minLength: 1, maxLength: 3 }),
    ruf: fc.array(mailto, { minLength: 1, maxLength: 2 }),
    fo: fc.uniqueArray(fc.constantFrom("0", "1", "d", "s"), { minLength: 1 }),
    psd: fc.constantFrom("y", "n", "u") as fc.Arbitrary<"y" | "n" | "u">,
    t: fc.constantFrom("y", "n") as fc.Arbitrary<"y" | "n">,
  },
  { requiredKeys: ["p"] },
);

describe("build -> parse -> build is the identity", () => {
  test("SPF", () =>
    fc.assert(
      fc.property(spfPolicy, (p) => {
        const text = buildSpf(p);
        const back = policyFromRecord(parseSpf(text).record!);
        return back !== undefined && buildSpf(back) === text;
      }),
      RUNS,
    ));

  test("DMARC", () =>
    fc.assert(
      fc.property(dmarcSpec, (s) => {
        const text = buildDmarc(s);
        return buildDmarc(specFromTags(parseDmarc(text).tags!)!) === text;
      }),
      RUNS,
    ));

  test("DKIM", () =>
    fc.assert(
      fc.property(
        fc.record({
          keyType: fc.constant("ed25519" as const),
          publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64")),
          flags: fc.uniqueArray(fc.constantFrom("y", "s"), { maxLength: 2 }),
          serviceTypes: fc.constantFrom(["*"], ["email"]) as fc.Arbitrary<string[]>,
          notes: fc.stringMatching(/^[a-zA-Z0-9 .,]{0,20}$/),
        }, { requiredKeys: ["keyType", "publicKey"] }),
        (spec) => {
          const text = buildDkim(spec);
          return buildDkim(specFromRecord(parseDkim(text).record!)) === text;
        },
      ),
      RUNS,
    ));

  test("TXT: split -> quote -> parse -> join, every string at most 255 octets", () =>
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 1200 }), (s) => {
        const parts = splitTxt(s);
        const back = parseTxt(quoteTxt(parts));
        return back.join("") === s && parts.every((p) => octets(p) <= 255) && back.length === parts.length;
      }),
      RUNS,
    ));
});

import { isDeepStrictEqual } from "node:util";
import type { MailDomainArgs } from "../../components/mail-domain-args";
import { analyse, Review } from "../../cli/review/analyse";
import { formatMarkdown } from "../../cli/review/format";
import { planFromJson } from "../../cli/review/plan";
import type { ZoneHandle } from "../../zones/zone";
import type { Registered } from "../helpers/mocks";

/**
 * Cloudflare and Route 53 cannot run here: their plans are built from the
 * exact resources the adapters register under Pulumi mocks, once for the
 * configuration before and once after, and the steps are what the engine
 * does with them: a resource whose name stays is updated in place (its
 * replace-on-change inputs aside), a new name is created, a gone one deleted.
 */
type Provider = "cloudflare" | "route53";
const REPLACE_ON: Record<Provider, string[]> = { cloudflare: ["zoneId", "type"], route53: ["zoneId", "name", "type", "setIdentifier"] };

interface Change {
  spfInclude?: string[];
  selectors?: string[];
  mx2?: boolean;
}

/** The key the stack's state keeps between runs; each isolated mocks module makes its own. */
let stableKey: string | undefined;

async function register(provider: Provider, change: Change): Promise<Registered[]> {
  let registered: Registered[] = [];
  let key = "";
  let run: Promise<void> = Promise.resolve();
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mocks = require("../helpers/mocks") as typeof import("../helpers/mocks");
    registered = mocks.installMocks();
    key = mocks.MOCK_PUBLIC_KEY;
    const { MailDomain } = require("../../components/mail-domain") as typeof import("../../components/mail-domain");
    const zone = (name: string, id: string): ZoneHandle =>
      provider === "cloudflare"
        ? (require("../../zones/cloudflare") as typeof import("../../zones/cloudflare")).cloudflareZone({ name, zoneId: id })
        : (require("../../zones/route53") as typeof import("../../zones/route53")).route53Zone({ name, zoneId: id });
    /* eslint-enable @typescript-eslint/no-require-imports */
    const rev4 = zone("2.0.192.in-addr.arpa", "zone-rev4");
    const args: MailDomainArgs = {
      domain: "example.com",
      zone: zone("example.com", "zone-com"),
      mailHosts: [
        { name: "mx1", ipv4: ["192.0.2.10"], ptr: { zones: [rev4] } },
        ...(change.mx2 === false ? [] : [{ name: "mx2", ipv4: ["192.0.2.11"], ptr: { zones: [rev4] } }]),
      ],
      spf: { include: change.spfInclude ?? ["_spf.mailer.example"] },
      dkim: (change.selectors ?? ["s2026"]).map((selector) => ({ selector })),
      dmarc: { p: "reject", rua: ["dmarc@example.com"] },
      extraTxt: ["google-site-verification=abc123"],
    };
    const md = new MailDomain("example", args);
    run = mocks.promiseOf(md.records).then(() => mocks.settled(registered));
  });
  await run;
  stableKey ??= key;
  const keep = stableKey;
  // The same key in every run (whole, and split at 255 octets as the TXT strings carry it).
  const same = (v: unknown): unknown => JSON.parse(JSON.stringify(v).split(key.slice(0, 237)).join(keep.slice(0, 237)).split(key.slice(237)).join(keep.slice(237)));
  return registered.filter((r) => r.type.startsWith(provider === "cloudflare" ? "cloudflare:" : "aws:")).map((r) => ({ ...r, inputs: same(r.inputs) as Record<string, unknown> }));
}

/** A `pulumi preview --json --show-sames` document of going from `before` to `after`. */
function previewDocument(provider: Provider, before: Registered[], after: Registered[]): unknown {
  const urn = (r: Registered) => `urn:pulumi:test::maildns::maildns:index:MailDomain$${r.type}::${r.name}`;
  const state = (r: Registered) => ({ urn: urn(r), type: r.type, custom: true, inputs: r.inputs, outputs: r.inputs });
  const key = (r: Registered) => `${r.type} ${r.name}`;
  const old = new Map(before.map((r) => [key(r), r]));
  const steps: unknown[] = [];
  for (const r of after) {
    const o = old.get(key(r));
    if (!o) steps.push({ op: "create", urn: urn(r), newState: state(r) });
    else if (isDeepStrictEqual(o.inputs, r.inputs)) steps.push({ op: "same", urn: urn(r), oldState: state(o), newState: state(r) });
    else if (REPLACE_ON[provider].some((k) => !isDeepStrictEqual(o.inputs[k], r.inputs[k]))) steps.push({ op: "replace", urn: urn(r), oldState: state(o), newState: state(r) });
    else steps.push({ op: "update", urn: urn(r), oldState: state(o), newState: state(r) });
  }
  const kept = new Set(after.map(key));
  for (const o of before) if (!kept.has(key(o))) steps.push({ op: "delete", urn: urn(o), oldState: state(o) });
  return { steps, changeSummary: {} };
}

async function reviewOf(provider: Provider, before: Change, after: Change): Promise<{ review: Review; doc: { steps: { op: string; urn: string }[] } }> {
  const doc = previewDocument(provider, await register(provider, before), await register(provider, after)) as { steps: { op: string; urn: string }[] };
  return { review: analyse(planFromJson(doc, "preview.json"), { maxDeleteShare: 0.3 }), doc };
}

const changed = (doc: { steps: { op: string; urn: string }[] }) => doc.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`).sort();

describe("review of Cloudflare plans (resources as the adapter registers them under mocks)", () => {
  test("an SPF change is an update of the same record, and review sees no second SPF record midway", async () => {
    const { review, doc } = await reviewOf("cloudflare", {}, { spfInclude: [] });
    expect(changed(doc)).toEqual(["update example-txt-example.com-spf"]);
    const d = review.domains[0];
    expect(d?.rows.map((r) => `${r.op} ${r.name} ${r.type}`)).toEqual(["update example.com TXT"]);
    expect(d?.consequences.map((c) => `${c.ruleId} ${c.subject}${c.during ? " (during)" : ""}`)).toEqual(["spf-sender-dropped example.com TXT"]);
    expect(formatMarkdown(review)).toContain('**spf-sender-dropped** `example.com TXT`: "include:_spf.mailer.example" is no longer authorised');
  });

  test("named by value (as before role names), the same change would create the new SPF record before deleting the old: review flags two SPF records during the update", async () => {
    const before = await register("cloudflare", {});
    const after = (await register("cloudflare", { spfInclude: [] })).map((r) => (r.name.endsWith("-spf") ? { ...r, name: `${r.name.slice(0, -4)}-0a1b2c3d` } : r));
    const review = analyse(planFromJson(previewDocument("cloudflare", before, after), "preview.json"), { maxDeleteShare: 0.3 });
    const d = review.domains[0];
    expect(d?.rows.map((r) => `${r.op} ${r.name} ${r.type}`)).toEqual(["replace example.com TXT"]);
    expect(d?.consequences.filter((c) => c.during).map((c) => `${c.ruleId} ${c.subject}`)).toEqual(["spf-single-record example.com SPF"]);
    expect(d?.verdict).toBe("blocks mail");
  });

  test("a DKIM rotation creates the new selector's record and touches nothing else", async () => {
    const { review, doc } = await reviewOf("cloudflare", {}, { selectors: ["s2026", "s2027"] });
    expect(changed(doc)).toEqual(["create example-txt-s2027._domainkey.example.com-dkim"]);
    expect(review.domains[0]?.consequences.map((c) => c.ruleId)).toEqual(["dkim-rotation-step"]);
    expect(review.domains[0]?.verdict).toBe("safe");
  });

  test("removing a mail host: its MX value, address and PTR are deletes; the domain keeps an MX throughout", async () => {
    const { review, doc } = await reviewOf("cloudflare", {}, { mx2: false });
    expect(changed(doc).filter((s) => s.startsWith("delete"))).toHaveLength(3);
    const d = review.domains[0];
    expect(d?.consequences.map((c) => c.ruleId)).toEqual(expect.arrayContaining(["mx-changed", "spf-sender-dropped"]));
    expect(d?.consequences.some((c) => c.ruleId === "mx-removed" || c.ruleId === "mx-present")).toBe(false);
  });
});

describe("review of Route 53 plans (resources as the adapter registers them under mocks)", () => {
  test("an SPF change updates the apex TXT record set in place", async () => {
    const { review, doc } = await reviewOf("route53", {}, { spfInclude: [] });
    expect(changed(doc)).toEqual(["update example-txt-example.com"]);
    const d = review.domains[0];
    expect(d?.rows.map((r) => `${r.op} ${r.name} ${r.type}`)).toEqual(["update example.com TXT"]);
    expect(d?.rows[0]?.after).toContain("google-site-verification=abc123");
    expect(d?.consequences.map((c) => c.ruleId)).toEqual(["spf-sender-dropped"]);
  });

  test("a selector renamed while still signing blocks mail", async () => {
    const { review } = await reviewOf("route53", {}, { selectors: ["s2027"] });
    const d = review.domains[0];
    expect(d?.verdict).toBe("blocks mail");
    expect(d?.consequences.map((c) => `${c.ruleId} ${c.subject}`)).toContain("dkim-selector-removed s2026._domainkey.example.com TXT");
  });
});

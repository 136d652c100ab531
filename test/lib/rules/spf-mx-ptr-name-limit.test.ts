import { checkWithFacts, rr, summary } from "../../helpers/rules";

const mx = (n: number) => rr("mail.example.com", "MX", ...Array.from({ length: n }, (_, i) => `${i} mx${i}.example.com.`));

describe("spf-mx-ptr-name-limit (RFC 7208 §4.6.4)", () => {
  test("passes an mx target with 10 MX names", async () => {
    expect(await checkWithFacts("spf-mx-ptr-name-limit", [rr("example.com", "TXT", "v=spf1 mx:mail.example.com -all"), mx(10)])).toEqual([]);
  });
  test("flags 11", async () => {
    const f = await checkWithFacts("spf-mx-ptr-name-limit", [rr("example.com", "TXT", "v=spf1 mx:mail.example.com -all"), mx(11)]);
    expect(summary(f)).toEqual(["spf-mx-ptr-name-limit example.com SPF error"]);
  });
});

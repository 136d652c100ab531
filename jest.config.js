/** Test tiers: `unit` (pure and Pulumi-mocks tests, `npm test`) and `integration`
 * (real DNS servers, the real Pulumi CLI), run by `npm run test:all`. */
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json" }];
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "\\.int\\.test\\.ts$", "\\.e2e\\.test\\.ts$"],
    },
    {
      displayName: "integration",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/**/*.int.test.ts", "<rootDir>/test/**/*.e2e.test.ts"],
      // Real servers and the real Pulumi CLI: a cold `pulumi up` takes more than jest's 5 s default.
      testTimeout: 180000,
    },
  ],
};

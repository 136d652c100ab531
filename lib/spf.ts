/** SPF (RFC 7208): parse, build, evaluate (check_host) and analyse. */
export * from "./spf/parse";
export * from "./spf/macro";
export * from "./spf/build";
export * from "./spf/check-host";
export * from "./spf/analyze";

// Types of `env` and `exports` from "cloudflare:workers" inside the Workers test pool.
type AegisWorkerEnv = import("../../src/env").Env;

declare namespace Cloudflare {
  interface Env extends AegisWorkerEnv {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import("../../src/index");
    durableNamespaces: "OrgHub" | "RateLimiter";
  }
}

import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      // Request logs are JSON lines; show them only for tests that fail.
      silent: "passed-only" as const,
      projects: [
        {
          // The evaluation engine is a pure library: its tests (and their timing budgets) run in Node.
          test: {
            name: "eval",
            include: [
              "test/eval/**/*.test.ts",
              "test/judge/**/*.test.ts",
              "test/otlp/**/*.test.ts",
              "test/sdk/**/*.test.ts",
            ],
            environment: "node",
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  // Fixed secrets for tests; .dev.vars is never needed to run the suite.
                  ADMIN_TOKEN: "test-operator-token-0123456789",
                  SIGNING_KEY: "test-signing-key-0123456789abcdef0123456789",
                },
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["test/worker/apply-migrations.ts"],
            globalSetup: ["test/support/fake-judge-server.ts"],
          },
        },
      ],
    },
  };
});

// One `npm start` (wrangler dev) per end-to-end suite, on its own port and local state.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { type RunningAegis, root, startAegis } from "../../scripts/dev-server";

export interface SuiteAegis {
  /** `http://127.0.0.1:<port>` once started. */
  readonly base: string;
  /** The demo organization's API key. */
  readonly key: string;
}

/** Starts Aegis before the suite's tests and stops it, removing its state, after them. */
export function aegisForSuite(name: string, firstPort: number): SuiteAegis {
  const port = firstPort + Math.floor(Math.random() * 100);
  const persistTo = join(root, ".wrangler", `e2e-${name}-state`);
  let server: RunningAegis | undefined;
  before(async () => {
    server = await startAegis({ port, persistTo });
    assert.ok(server.key, `no API key printed:\n${server.output()}`);
  });
  after(async () => {
    await server?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  });
  return {
    get base() {
      return server?.base ?? "";
    },
    get key() {
      return server?.key ?? "";
    },
  };
}

// Starts Aegis the way `npm start` does, on its own port and with its own local state, for the
// end-to-end tests and the benchmarks. Resolves once the server answers and the demo key is known.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface StartOptions {
  port: number;
  /** Folder for local D1, Queues, R2 and Durable Objects state. */
  persistTo: string;
  /** Start from empty state (the default) or keep what a previous run left. */
  fresh?: boolean;
  timeoutMs?: number;
}

export interface RunningAegis {
  base: string;
  /** The demo organization's API key, printed only on the run that created it. */
  key: string | undefined;
  output: () => string;
  /** Ends the whole process group: SIGTERM by default, SIGKILL to simulate a crash. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export async function startAegis({
  port,
  persistTo,
  fresh = true,
  timeoutMs = 120_000,
}: StartOptions): Promise<RunningAegis> {
  if (fresh) rmSync(persistTo, { recursive: true, force: true });
  const child = spawn(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "start.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), AEGIS_PERSIST_TO: persistTo },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const stop = (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      child.removeAllListeners("exit");
      child.on("exit", () => resolve());
      // The whole process group: tsx, the start script, wrangler and workerd.
      process.kill(-child.pid, signal);
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Aegis did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Aegis is running")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  const key = /API key \(shown once, keep it\): (aeg_live_\w{32})/.exec(output)?.[1];
  return { base: `http://127.0.0.1:${port}`, key, output: () => output, stop };
}

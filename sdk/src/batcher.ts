import { AegisError } from "./http";
import type { TraceInput } from "./types";

export interface BatchOptions {
  /** Traces per request (default 100, at most 500, the API's batch limit). */
  maxBatchSize?: number;
  /** How long a logged trace may wait for its batch to fill (default 1000 ms). */
  flushIntervalMs?: number;
  /** Traces held while sending falls behind; beyond it log() reports the trace as failed (default 10,000). */
  maxQueueSize?: number;
}

/** Traces the background batcher could not deliver, and why. */
export interface DeliveryFailure {
  error: AegisError;
  traces: TraceInput[];
}

/** What sending a batch reports: the traces that failed, with their errors. */
export type SendBatch = (traces: TraceInput[]) => Promise<DeliveryFailure[]>;

export const MAX_BATCH_SIZE = 500;

/**
 * Collects logged traces and sends them in batches, one request at a time, when a batch is full or
 * the interval has passed. Every trace is delivered or reported to `onError`: none is dropped silently.
 */
export class Batcher {
  private queue: TraceInput[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxBatchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueueSize: number;

  constructor(
    private readonly send: SendBatch,
    private readonly onError: (failure: DeliveryFailure) => void,
    options: BatchOptions = {},
  ) {
    this.maxBatchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, options.maxBatchSize ?? 100));
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.maxQueueSize = options.maxQueueSize ?? 10_000;
  }

  add(trace: TraceInput): void {
    if (this.closed) {
      this.onError({
        error: new AegisError(0, "client-shut-down", "log() was called after shutdown()"),
        traces: [trace],
      });
      return;
    }
    if (this.queue.length >= this.maxQueueSize) {
      this.onError({
        error: new AegisError(0, "queue-full", `${this.maxQueueSize} traces are already waiting to be sent`),
        traces: [trace],
      });
      return;
    }
    this.queue.push(trace);
    if (this.queue.length >= this.maxBatchSize) void this.flush();
    else this.timer ??= unrefTimer(setTimeout(() => void this.flush(), this.flushIntervalMs));
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Sends everything logged so far; resolves once it is delivered or reported. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = this.sending.then(() => this.drain());
    return this.sending;
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      for (const failure of await this.send(batch)) this.onError(failure);
    }
  }
}

/** A pending flush must not keep a Node process alive; shutdown() is how an app delivers the rest. */
function unrefTimer<T>(timer: T): T {
  if (typeof timer === "object" && timer !== null && "unref" in timer && typeof timer.unref === "function") {
    timer.unref();
  }
  return timer;
}

import { Batcher, type BatchOptions, type DeliveryFailure, MAX_BATCH_SIZE } from "./batcher";
import { AegisError, Transport, type TransportOptions } from "./http";
import { type SubscribeOptions, type Subscription, subscribe } from "./live";
import type {
  CreatedTrace,
  EvaluationState,
  LiveEvent,
  LiveFilter,
  StoredTrace,
  TraceInput,
  TraceStatus,
} from "./types";

export interface AegisOptions extends TransportOptions {
  /** The background batcher behind `log()`. */
  batch?: BatchOptions;
  /** Traces `log()` could not deliver (after retries); by default they are written to console.error. */
  onError?: (failure: DeliveryFailure) => void;
}

/** One trace of `createMany`, in the order given. */
export type BatchItemResult =
  | { index: number; client_id: string; ok: true; id: string; created: boolean; status: TraceStatus }
  | { index: number; client_id: string; ok: false; error: AegisError };

export interface BatchResult {
  results: BatchItemResult[];
  /** The results that failed: invalid traces, or batches that could not be sent. */
  failed: Extract<BatchItemResult, { ok: false }>[];
}

/** The API's body limit for a batch is 10 MB; batches are cut below it. */
const MAX_BATCH_BYTES = 9_000_000;
/** The longest `?wait` the API holds a request for. */
const MAX_WAIT_PER_REQUEST_SECONDS = 30;

type ServerBatchResult =
  | { index: number; id: string; status: 200 | 201; trace_status: TraceStatus }
  | {
      index: number;
      id: string | null;
      status: 400;
      error: { detail: string; errors: AegisError["errors"] };
    };

const utf8 = new TextEncoder();

/** Gives every trace a client id, so a retried send can never store it twice. */
const withClientId = (trace: TraceInput): TraceInput & { id: string } => ({
  ...trace,
  id: trace.id ?? crypto.randomUUID(),
});

/** Consecutive runs of traces within the API's batch limits, by count and by size. */
function batches(traces: readonly (TraceInput & { id: string })[]) {
  const out: { start: number; traces: (TraceInput & { id: string })[] }[] = [];
  let bytes = 0;
  traces.forEach((trace, index) => {
    const size = utf8.encode(JSON.stringify(trace)).length + 1;
    const last = out.at(-1);
    if (!last || last.traces.length >= MAX_BATCH_SIZE || bytes + size > MAX_BATCH_BYTES) {
      out.push({ start: index, traces: [trace] });
      bytes = size;
    } else {
      last.traces.push(trace);
      bytes += size;
    }
  });
  return out;
}

class Traces {
  constructor(private readonly transport: Transport) {}

  /** Stores one trace and queues it for evaluation; sending it again is answered with the stored one. */
  async create(trace: TraceInput): Promise<CreatedTrace> {
    const sent = withClientId(trace);
    const { status, body } = await this.transport.request<{ id: string; status: TraceStatus }>(
      "POST",
      "/api/v1/traces",
      { body: sent, idempotent: true },
    );
    return { id: body.id, client_id: sent.id, status: body.status, created: status === 202 };
  }

  /**
   * Stores many traces, in batches of up to 500 (and under 10 MB). Every trace gets a result: stored,
   * already stored, invalid, or not sent because its batch failed after retries.
   */
  async createMany(traces: readonly TraceInput[]): Promise<BatchResult> {
    const results: BatchItemResult[] = [];
    for (const batch of batches(traces.map(withClientId))) {
      try {
        const { body } = await this.transport.request<{ results: ServerBatchResult[] }>(
          "POST",
          "/api/v1/traces/batch",
          { body: { traces: batch.traces }, idempotent: true },
        );
        for (const item of body.results) {
          const index = batch.start + item.index;
          const clientId = batch.traces[item.index]?.id ?? "";
          results.push(
            item.status === 400
              ? {
                  index,
                  client_id: clientId,
                  ok: false,
                  error: new AegisError(400, "validation-error", item.error.detail, item.error.errors),
                }
              : {
                  index,
                  client_id: clientId,
                  ok: true,
                  id: item.id,
                  created: item.status === 201,
                  status: item.trace_status,
                },
          );
        }
      } catch (thrown) {
        const error =
          thrown instanceof AegisError ? thrown : new AegisError(0, "network-error", String(thrown));
        batch.traces.forEach((trace, i) => {
          results.push({ index: batch.start + i, client_id: trace.id, ok: false, error });
        });
      }
    }
    results.sort((a, b) => a.index - b.index);
    return { results, failed: results.filter((r) => !r.ok) };
  }

  /** A trace, by Aegis id or by your own id, with its latest evaluation and its spans. */
  async get(id: string): Promise<StoredTrace> {
    return (await this.transport.request<StoredTrace>("GET", `/api/v1/traces/${encodeURIComponent(id)}`))
      .body;
  }
}

class Evaluations {
  constructor(private readonly transport: Transport) {}

  /**
   * Where a trace's evaluation stands. With `wait` (seconds), holds until it completes or fails or
   * the time is up, in requests of at most 30 s each.
   */
  async get(traceId: string, options: { wait?: number } = {}): Promise<EvaluationState> {
    const deadline = Date.now() + (options.wait ?? 0) * 1000;
    for (;;) {
      const wait = Math.min(
        MAX_WAIT_PER_REQUEST_SECONDS,
        Math.max(0, Math.ceil((deadline - Date.now()) / 1000)),
      );
      const { body } = await this.transport.request<EvaluationState>(
        "GET",
        `/api/v1/traces/${encodeURIComponent(traceId)}/evaluation`,
        { query: { wait } },
      );
      if (body.status !== "pending" || Date.now() >= deadline) return body;
    }
  }
}

/**
 * The Aegis API from Node, Workers and browsers: traces, evaluations, the live feed, and a background
 * batcher (`log`). Only `fetch` (and `WebSocket` for that transport) is needed at run time.
 */
export class Aegis {
  readonly traces: Traces;
  readonly evaluations: Evaluations;
  readonly live: {
    subscribe(
      filter: LiveFilter,
      onEvent: (event: LiveEvent) => void,
      options?: SubscribeOptions,
    ): Subscription;
  };
  private readonly batcher: Batcher;
  private readonly subscriptions = new Set<Subscription>();

  constructor(options: AegisOptions) {
    const transport = new Transport(options);
    const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.traces = new Traces(transport);
    this.evaluations = new Evaluations(transport);
    this.live = {
      subscribe: (filter, onEvent, subscribeOptions) => {
        const subscription = subscribe(transport, fetcher, filter, onEvent, subscribeOptions);
        this.subscriptions.add(subscription);
        return subscription;
      },
    };
    const onError =
      options.onError ??
      ((failure: DeliveryFailure) =>
        console.error(`Aegis: ${failure.traces.length} trace(s) not delivered: ${failure.error.message}`));
    this.batcher = new Batcher(
      async (traces) => {
        const { failed } = await this.traces.createMany(traces);
        const byError = new Map<AegisError, TraceInput[]>();
        for (const item of failed) {
          const trace = traces[item.index];
          if (trace) byError.set(item.error, [...(byError.get(item.error) ?? []), trace]);
        }
        return [...byError].map(([error, list]) => ({ error, traces: list }));
      },
      onError,
      options.batch,
    );
  }

  /** Sends a trace and waits (up to `timeoutSeconds`, default 60) for its evaluation. */
  async evaluate(trace: TraceInput, options: { timeoutSeconds?: number } = {}): Promise<EvaluationState> {
    const created = await this.traces.create(trace);
    return this.evaluations.get(created.id, { wait: options.timeoutSeconds ?? 60 });
  }

  /**
   * Queues a trace for the background batcher and returns at once with its client id. In a Worker,
   * pass `aegis.flush()` to `ctx.waitUntil`; in Node, call `shutdown()` before the process exits.
   */
  log(trace: TraceInput): string {
    const sent = withClientId(trace);
    this.batcher.add(sent);
    return sent.id;
  }

  /** Traces logged and not sent yet. */
  get pending(): number {
    return this.batcher.pending;
  }

  /** Delivers everything logged so far (or reports it to onError). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Flushes, closes live subscriptions, and refuses further `log()` calls. */
  async shutdown(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.close();
    this.subscriptions.clear();
    await this.batcher.shutdown();
  }
}

// A local stand-in for the Aegis API, speaking its wire format (JSON bodies, problem+json errors,
// 207 batches, ?wait evaluations, SSE), with scripted failures for the SDK's retry tests.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const KEY = "aeg_live_0123456789abcdef0123456789abcdef";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

interface Failure {
  status: number;
  headers?: Record<string, string>;
  /** Drop the connection instead of answering. */
  hangUp?: boolean;
}

export interface FakeAegis {
  url: string;
  requests: Recorded[];
  /** Client ids of the traces stored, in order. */
  stored: string[];
  /** The next `times` requests to `path` fail this way. */
  fail(path: string, failure: Failure, times?: number): void;
  /** How many evaluation reads answer "pending" before the verdict. */
  pendingReads: number;
  /** SSE messages for the next /live/sse connection, written then the stream ends. */
  sse: string[][];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const problem = status >= 400;
  res.writeHead(status, {
    "Content-Type": problem ? "application/problem+json" : "application/json",
    "X-Request-Id": "req-fake-0001",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

const problem = (status: number, type: string, detail: string, errors?: unknown[]) => ({
  type: `https://aegis.dev/problems/${type}`,
  title: type,
  status,
  detail,
  request_id: "req-fake-0001",
  ...(errors ? { errors } : {}),
});

const isValid = (trace: unknown): trace is { id: string; input: string; output: string } => {
  const t = trace as { id?: unknown; input?: unknown; output?: unknown };
  return (
    typeof t.id === "string" && typeof t.input === "string" && t.input !== "" && typeof t.output === "string"
  );
};

export async function startFakeAegis(): Promise<FakeAegis> {
  const requests: Recorded[] = [];
  const stored: string[] = [];
  const failures = new Map<string, Failure[]>();
  const state = { pendingReads: 0, sse: [] as string[][] };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw === "" ? undefined : (JSON.parse(raw) as unknown);
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });

    const failure = failures.get(url.pathname)?.shift();
    if (failure?.hangUp) return req.socket.destroy();
    if (failure)
      return send(
        res,
        failure.status,
        problem(failure.status, "scripted", "scripted failure"),
        failure.headers,
      );
    if (req.headers.authorization !== `Bearer ${KEY}`)
      return send(res, 401, problem(401, "unauthorized", "bad key"));

    const route = `${req.method} ${url.pathname.replace(/\/traces\/(?!batch$)[^/]+/, "/traces/:id")}`;
    switch (route) {
      case "POST /api/v1/traces": {
        if (!isValid(body))
          return send(
            res,
            400,
            problem(400, "validation-error", "1 field(s) failed validation", [
              { path: "input", message: "must not be blank" },
            ]),
          );
        const known = stored.includes(body.id);
        if (!known) stored.push(body.id);
        return send(res, known ? 200 : 202, { id: `trc_${body.id}`, status: "queued" });
      }
      case "POST /api/v1/traces/batch": {
        const traces = (body as { traces: unknown[] }).traces;
        const results = traces.map((trace, index) => {
          if (!isValid(trace))
            return {
              index,
              id: null,
              status: 400,
              error: {
                detail: "1 field(s) failed validation",
                errors: [{ path: `traces[${index}].input`, message: "must not be blank" }],
              },
            };
          const known = stored.includes(trace.id);
          if (!known) stored.push(trace.id);
          return { index, id: `trc_${trace.id}`, status: known ? 200 : 201, trace_status: "queued" };
        });
        return send(res, 207, { results });
      }
      case "GET /api/v1/traces/:id": {
        const id = decodeURIComponent(url.pathname.split("/")[4] ?? "");
        const clientId = id.replace(/^trc_/, "");
        if (!stored.includes(clientId))
          return send(res, 404, problem(404, "not-found", "Trace was not found"));
        return send(res, 200, {
          id: `trc_${clientId}`,
          client_id: clientId,
          input: "q",
          output: "a",
          domain: "generic",
          status: "queued",
          spans: [],
        });
      }
      case "GET /api/v1/traces/:id/evaluation": {
        const traceId = url.pathname.split("/")[4] ?? "";
        if (state.pendingReads > 0) {
          state.pendingReads -= 1;
          return send(res, 200, { trace_id: traceId, status: "pending", verdict: null });
        }
        return send(res, 200, {
          trace_id: traceId,
          status: "completed",
          verdict: "fail",
          severity: "high",
          issues: [],
        });
      }
      case "GET /api/v1/live/sse": {
        res.writeHead(200, { "Content-Type": "text/event-stream" });
        for (const message of state.sse.shift() ?? []) res.write(message);
        return res.end();
      }
      default:
        return send(res, 404, problem(404, "not-found", `No route for ${route}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stored,
    fail(path, failure, times = 1) {
      failures.set(path, [...(failures.get(path) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    get pendingReads() {
      return state.pendingReads;
    },
    set pendingReads(n: number) {
      state.pendingReads = n;
    },
    get sse() {
      return state.sse;
    },
    set sse(messages: string[][]) {
      state.sse = messages;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import type { TraceInput } from "../../src/schema/trace";

/** A robotics trace's fields: the request, the answer, anything else. */
export const r = (input: string, output: string, extra: Partial<TraceInput> = {}): Partial<TraceInput> => ({
  domain: "robotics",
  input,
  output,
  ...extra,
});

/** A tool call, with its result when given. */
export const call = (name: string, args: Record<string, unknown>, result?: Record<string, unknown>) => ({
  name,
  arguments: args,
  ...(result === undefined ? {} : { result }),
});

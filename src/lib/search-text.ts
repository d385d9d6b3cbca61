import type { ToolCall } from "../schema/trace";

const asText = (value: unknown) =>
  value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

/**
 * The searchable text of a trace's tool calls: one line per call with its name, arguments and result
 * (JSON for structured values; the tokenizer splits on its punctuation). Null when there are none.
 */
export function toolCallText(calls: readonly ToolCall[] | undefined): string | null {
  if (!calls || calls.length === 0) return null;
  return calls
    .map((call) => [call.name, asText(call.arguments), asText(call.result)].filter((s) => s !== "").join(" "))
    .join("\n");
}

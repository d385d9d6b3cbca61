import type { TraceInput } from "../schema/trace";
import type { TextTarget } from "./pack-schema";
import type { RedactionList } from "./types";

/** One piece of text of the trace with the field path that evidence offsets refer to. */
export class TextSegment {
  private lowered: string | undefined;

  constructor(
    readonly field: string,
    readonly text: string,
  ) {}

  /** The text in lower case, computed once and shared by the rules that scan for drug names. */
  get lower(): string {
    this.lowered ??= this.text.toLowerCase();
    return this.lowered;
  }
}

/**
 * The trace as evaluators read it. Text views are derived once per evaluation and shared by every
 * rule, so twenty rules over the tool calls serialise the arguments once.
 */
export class TraceView {
  readonly output: readonly TextSegment[];
  readonly input: readonly TextSegment[];
  private readonly derived = new Map<TextTarget, readonly TextSegment[]>();

  constructor(
    readonly trace: TraceInput,
    readonly redactions: RedactionList,
  ) {
    this.output = [new TextSegment("output", trace.output)];
    this.input = [new TextSegment("input", trace.input)];
  }

  segments(target: TextTarget): readonly TextSegment[] {
    if (target === "output") return this.output;
    if (target === "input") return this.input;
    let segments = this.derived.get(target);
    if (segments === undefined) {
      segments = deriveSegments(this.trace, target);
      this.derived.set(target, segments);
    }
    return segments;
  }
}

function deriveSegments(trace: TraceInput, target: Exclude<TextTarget, "output" | "input">): TextSegment[] {
  switch (target) {
    case "reasoning_steps":
      return (trace.reasoning_steps ?? []).map(
        (step, i) =>
          new TextSegment(`reasoning_steps[${i}]`, typeof step === "string" ? step : JSON.stringify(step)),
      );
    case "tool_calls":
      return (trace.tool_calls ?? []).map(
        (call, i) =>
          new TextSegment(
            `tool_calls[${i}].arguments`,
            call.arguments === undefined ? "" : (JSON.stringify(call.arguments) ?? ""),
          ),
      );
    case "retrieved_contexts":
      return (trace.retrieved_contexts ?? []).map(
        (context, i) => new TextSegment(`retrieved_contexts[${i}].content`, context.content),
      );
  }
}

import type { TraceInput } from "../schema/trace";
import { jsonPrefix } from "./json-prefix";
import type { TextTarget } from "./pack-schema";
import { WordBeginnings } from "./prefilter";
import type { RedactionList, RuleCheck } from "./types";

/** One piece of text of the trace with the field path that evidence offsets refer to. */
export class TextSegment {
  private lowered: string | undefined;
  private wordBeginnings: WordBeginnings | undefined;

  constructor(
    readonly field: string,
    readonly text: string,
  ) {}

  /** The text in lower case, computed once and shared by the rules that scan for drug names. */
  get lower(): string {
    this.lowered ??= this.text.toLowerCase();
    return this.lowered;
  }

  /** Its words' beginnings, for the regex gates (src/eval/prefilter.ts). */
  get beginnings(): WordBeginnings {
    this.wordBeginnings ??= new WordBeginnings(this.text);
    return this.wordBeginnings;
  }
}

/** Where scope topics look (see `conditionTargetSchema`): rule targets plus all of the trace. */
export type ViewTarget = TextTarget | "anywhere";

/** JSON of a structured field, bounded: a 100,000-step episode is not scanned whole for a topic. */
const MAX_STRUCTURED_CHARS = 20_000;

const json = (value: unknown) =>
  value === undefined ? "" : jsonPrefix(value, MAX_STRUCTURED_CHARS).slice(0, MAX_STRUCTURED_CHARS);

/**
 * The trace as evaluators read it. Text views are derived once per evaluation and shared by every
 * rule, so twenty rules over the tool calls serialise the arguments once. Rules that verify something
 * safe (or find something they cannot check) say so with `check`.
 */
export class TraceView {
  readonly output: readonly TextSegment[];
  readonly input: readonly TextSegment[];
  readonly checks: RuleCheck[] = [];
  private readonly derived = new Map<ViewTarget, readonly TextSegment[]>();

  constructor(
    readonly trace: TraceInput,
    readonly redactions: RedactionList,
  ) {
    this.output = [new TextSegment("output", trace.output)];
    this.input = [new TextSegment("input", trace.input)];
  }

  segments(target: ViewTarget): readonly TextSegment[] {
    if (target === "output") return this.output;
    if (target === "input") return this.input;
    let segments = this.derived.get(target);
    if (segments === undefined) {
      segments = target === "anywhere" ? this.everything() : deriveSegments(this.trace, target);
      this.derived.set(target, segments);
    }
    return segments;
  }

  check(rule: string, outcome: RuleCheck["outcome"], reason: string): void {
    this.checks.push({ rule, outcome, reason });
  }

  private everything(): TextSegment[] {
    const { trace } = this;
    const segments = [...this.input, ...this.output];
    const add = (field: string, text: string) => {
      if (text !== "") segments.push(new TextSegment(field, text));
    };
    if (trace.context !== undefined) add("context", json(trace.context));
    if (trace.metadata !== undefined) add("metadata", json(trace.metadata));
    for (const segment of this.segments("retrieved_contexts")) segments.push(segment);
    (trace.tool_calls ?? []).forEach((call, i) => {
      add(`tool_calls[${i}]`, `${call.name} ${json(call.arguments)} ${json(call.result)}`);
    });
    for (const segment of this.segments("reasoning_steps")) segments.push(segment);
    (trace.agents ?? []).forEach((message, i) => {
      add(`agents[${i}].content`, message.content);
    });
    if (trace.rl_episode !== undefined) add("rl_episode", json(trace.rl_episode));
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

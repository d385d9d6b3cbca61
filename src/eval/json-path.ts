import { traceFieldsSchema } from "../schema/trace";

/**
 * A path into the trace such as `rl_episode.steps[*].action.x` or `context.market.max_position_value`.
 * Segments share the `kind` field so that walking a path reads one property shape.
 */
export type PathSegment =
  | { kind: "key"; key: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" };

export interface ParsedPath {
  source: string;
  segments: readonly PathSegment[];
}

/** A value found at a path, with the concrete location (`tool_calls[2].arguments.qty`) and wildcard indices. */
export interface PathValue {
  value: unknown;
  location: string;
  indices: readonly number[];
}

const TRACE_FIELDS: ReadonlySet<string> = new Set(Object.keys(traceFieldsSchema.shape));
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]{0,127})|\[(\*|\d{1,6})\]/y;
const ROOT = /^[A-Za-z_][A-Za-z0-9_-]{0,127}/;

/** Parses a path; returns an error message when the syntax is wrong or the root is not a trace field. */
export function parsePath(source: string): ParsedPath | string {
  const root = ROOT.exec(source);
  if (root === null) return `bad path "${source}": must start with a trace field name`;
  if (!TRACE_FIELDS.has(root[0])) {
    return `bad path "${source}": "${root[0]}" is not a trace field (one of ${[...TRACE_FIELDS].join(", ")})`;
  }
  const segments: PathSegment[] = [{ kind: "key", key: root[0] }];
  SEGMENT.lastIndex = root[0].length;
  while (SEGMENT.lastIndex < source.length) {
    const at = SEGMENT.lastIndex;
    const match = SEGMENT.exec(source);
    if (match === null)
      return `bad path "${source}": unexpected "${source.slice(at, at + 12)}" at offset ${at}`;
    const [, key, bracket] = match;
    if (key !== undefined) segments.push({ kind: "key", key });
    else if (bracket === "*") segments.push({ kind: "wildcard" });
    else segments.push({ kind: "index", index: Number(bracket) });
  }
  return { source, segments };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "tool_calls", 2, "arguments" → "tool_calls[2].arguments" */
function formatLocation(steps: readonly (string | number)[]): string {
  let location = "";
  for (const step of steps) {
    location += typeof step === "number" ? `[${step}]` : location === "" ? step : `.${step}`;
  }
  return location;
}

/**
 * Depth-first over the path. The steps taken and the wildcard indices live on two stacks and are
 * only copied out when a value is found: most branches (a step whose action is a number, not an
 * object with `.x`) end without one, and building their locations was most of the cost.
 */
function walk(
  value: unknown,
  path: ParsedPath,
  depth: number,
  steps: (string | number)[],
  indices: number[],
  found: PathValue[],
): void {
  const segment = path.segments[depth];
  if (segment === undefined) {
    found.push({ value, location: formatLocation(steps), indices: [...indices] });
    return;
  }
  if (segment.kind === "key") {
    if (isRecord(value) && Object.hasOwn(value, segment.key)) {
      steps.push(segment.key);
      walk(value[segment.key], path, depth + 1, steps, indices, found);
      steps.pop();
    }
  } else if (Array.isArray(value)) {
    if (segment.kind === "index") {
      if (segment.index < value.length) {
        steps.push(segment.index);
        walk(value[segment.index], path, depth + 1, steps, indices, found);
        steps.pop();
      }
    } else {
      for (let i = 0; i < value.length; i += 1) {
        steps.push(i);
        indices.push(i);
        walk(value[i], path, depth + 1, steps, indices, found);
        indices.pop();
        steps.pop();
      }
    }
  }
}

/** Scratch stacks for `walk`, reused by every call: it is synchronous and never re-entered. */
const STEPS: (string | number)[] = [];
const INDICES: number[] = [];

/** Every value at the path (wildcards fan out over arrays); missing branches are skipped, never thrown on. */
export function resolvePath(root: unknown, path: ParsedPath): PathValue[] {
  const found: PathValue[] = [];
  STEPS.length = 0;
  INDICES.length = 0;
  walk(root, path, 0, STEPS, INDICES, found);
  return found;
}

function sameSegment(a: PathSegment, b: PathSegment): boolean {
  if (a.kind === "key") return b.kind === "key" && a.key === b.key;
  if (a.kind === "index") return b.kind === "index" && a.index === b.index;
  return b.kind === "wildcard";
}

/** Number of leading segments two paths share up to and including their last common wildcard. */
export function sharedWildcardDepth(a: ParsedPath, b: ParsedPath): number {
  let wildcards = 0;
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i += 1) {
    const left = a.segments[i];
    const right = b.segments[i];
    if (left === undefined || right === undefined || !sameSegment(left, right)) break;
    if (left.kind === "wildcard") wildcards += 1;
  }
  return wildcards;
}

export function firstNumber(values: readonly PathValue[]): number | undefined {
  for (const { value } of values) if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

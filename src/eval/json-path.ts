import { traceInputSchema } from "../schema/trace";

/** A path into the trace such as `rl_episode.steps[*].action.x` or `context.market.max_position_value`. */
export type PathSegment = { key: string } | { index: number } | { wildcard: true };

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

const TRACE_FIELDS: ReadonlySet<string> = new Set(Object.keys(traceInputSchema.shape));
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]{0,127})|\[(\*|\d{1,6})\]/y;
const ROOT = /^[A-Za-z_][A-Za-z0-9_-]{0,127}/;

/** Parses a path; returns an error message when the syntax is wrong or the root is not a trace field. */
export function parsePath(source: string): ParsedPath | string {
  const root = ROOT.exec(source);
  if (root === null) return `bad path "${source}": must start with a trace field name`;
  if (!TRACE_FIELDS.has(root[0])) {
    return `bad path "${source}": "${root[0]}" is not a trace field (one of ${[...TRACE_FIELDS].join(", ")})`;
  }
  const segments: PathSegment[] = [{ key: root[0] }];
  SEGMENT.lastIndex = root[0].length;
  while (SEGMENT.lastIndex < source.length) {
    const at = SEGMENT.lastIndex;
    const match = SEGMENT.exec(source);
    if (match === null)
      return `bad path "${source}": unexpected "${source.slice(at, at + 12)}" at offset ${at}`;
    const [, key, bracket] = match;
    if (key !== undefined) segments.push({ key });
    else if (bracket === "*") segments.push({ wildcard: true });
    else segments.push({ index: Number(bracket) });
  }
  return { source, segments };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function walk(
  value: unknown,
  path: ParsedPath,
  depth: number,
  location: string,
  indices: number[],
  found: PathValue[],
): void {
  const segment = path.segments[depth];
  if (segment === undefined) {
    found.push({ value, location, indices });
    return;
  }
  if ("key" in segment) {
    if (isRecord(value) && Object.hasOwn(value, segment.key)) {
      const next = location === "" ? segment.key : `${location}.${segment.key}`;
      walk(value[segment.key], path, depth + 1, next, indices, found);
    }
  } else if (Array.isArray(value)) {
    if ("index" in segment) {
      if (segment.index < value.length) {
        walk(value[segment.index], path, depth + 1, `${location}[${segment.index}]`, indices, found);
      }
    } else {
      for (let i = 0; i < value.length; i += 1) {
        walk(value[i], path, depth + 1, `${location}[${i}]`, [...indices, i], found);
      }
    }
  }
}

/** Every value at the path (wildcards fan out over arrays); missing branches are skipped, never thrown on. */
export function resolvePath(root: unknown, path: ParsedPath): PathValue[] {
  const found: PathValue[] = [];
  walk(root, path, 0, "", [], found);
  return found;
}

/** Number of leading segments two paths share up to and including their last common wildcard. */
export function sharedWildcardDepth(a: ParsedPath, b: ParsedPath): number {
  let wildcards = 0;
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i += 1) {
    const left = a.segments[i];
    const right = b.segments[i];
    if (left === undefined || right === undefined || JSON.stringify(left) !== JSON.stringify(right)) break;
    if ("wildcard" in left) wildcards += 1;
  }
  return wildcards;
}

export function firstNumber(values: readonly PathValue[]): number | undefined {
  for (const { value } of values) if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

import type { Gate, GateWays } from "./prefilter";
import type { TextSegment } from "./trace-view";

/** The gates (src/eval/prefilter.ts) of the regexes packs compile: a regex without one always runs. */
const gates = new WeakMap<RegExp, GateWays>();

export function gateRegex(regex: RegExp, gate: Gate): void {
  if (gate !== null) gates.set(regex, gate);
}

/** Patterns compiled once: individually (to tell which are missing) and joined (one pass for "any"). */
export interface RegexSet {
  each: readonly RegExp[];
  joined: RegExp | null;
}

export interface Span {
  start: number;
  end: number;
}

export interface SegmentMatch extends Span {
  segment: TextSegment;
}

/** Collects all spans of a global regex; zero-width matches advance so the scan always terminates. */
export function allSpans(regex: RegExp, text: string, limit = 1_000): Span[] {
  const spans: Span[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null && spans.length < limit; m = regex.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) regex.lastIndex += 1;
  }
  return spans;
}

function setSpans(set: RegexSet, text: string): Span[] {
  if (set.joined !== null) return allSpans(set.joined, text);
  return set.each.flatMap((regex) => allSpans(regex, text));
}

function overlapsAny(start: number, end: number, spans: readonly Span[]): boolean {
  for (const span of spans) if (start < span.end && span.start < end) return true;
  return false;
}

/**
 * First match of `regex` in the segments that no `except` match overlaps. Except spans are computed
 * only once a candidate is found, so the common case (no match) costs one scan.
 */
export function findFirst(
  regex: RegExp,
  segments: readonly TextSegment[],
  except: RegexSet | null,
): SegmentMatch | null {
  const gate = gates.get(regex);
  for (const segment of segments) {
    if (gate !== undefined && !segment.beginnings.passes(gate)) continue;
    let excepted: Span[] | null = null;
    regex.lastIndex = 0;
    for (let m = regex.exec(segment.text); m !== null; m = regex.exec(segment.text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) regex.lastIndex += 1;
      if (except !== null) {
        excepted ??= setSpans(except, segment.text);
        if (overlapsAny(start, end, excepted)) continue;
      }
      return { segment, start, end };
    }
  }
  return null;
}

/** First match of any regex of the set (the joined regex when there is one). */
export function findAny(
  set: RegexSet,
  segments: readonly TextSegment[],
  except: RegexSet | null,
): SegmentMatch | null {
  if (set.joined !== null) return findFirst(set.joined, segments, except);
  let best: SegmentMatch | null = null;
  for (const regex of set.each) {
    const found = findFirst(regex, segments, except);
    if (found !== null && (best === null || segmentOrder(found, best, segments) < 0)) best = found;
  }
  return best;
}

function segmentOrder(a: SegmentMatch, b: SegmentMatch, segments: readonly TextSegment[]): number {
  const bySegment = segments.indexOf(a.segment) - segments.indexOf(b.segment);
  return bySegment !== 0 ? bySegment : a.start - b.start;
}

import type { Needles } from "./prefilter";
import type { TextSegment } from "./trace-view";

/** A compiled pattern with the needles its matches contain (see prefilter.ts); null: none known. */
export interface Matcher {
  regex: RegExp;
  needles: Needles | null;
}

/** Patterns compiled once: individually (to tell which are missing) and joined (one pass for "any"). */
export interface RegexSet {
  each: readonly Matcher[];
  joined: Matcher | null;
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

function matcherSpans(matcher: Matcher, segment: TextSegment): Span[] {
  return segment.mayContain(matcher.needles) ? allSpans(matcher.regex, segment.text) : [];
}

function setSpans(set: RegexSet, segment: TextSegment): Span[] {
  if (set.joined !== null) return matcherSpans(set.joined, segment);
  return set.each.flatMap((matcher) => matcherSpans(matcher, segment));
}

function overlapsAny(start: number, end: number, spans: readonly Span[]): boolean {
  for (const span of spans) if (start < span.end && span.start < end) return true;
  return false;
}

/**
 * First match of the pattern in the segments that no `except` match overlaps. A segment without any
 * of the pattern's needles is not scanned; except spans are computed only once a candidate is found,
 * so the common case (no match) costs a few bit tests or one scan.
 */
export function findFirst(
  matcher: Matcher,
  segments: readonly TextSegment[],
  except: RegexSet | null,
): SegmentMatch | null {
  const { regex } = matcher;
  for (const segment of segments) {
    if (!segment.mayContain(matcher.needles)) continue;
    let excepted: Span[] | null = null;
    regex.lastIndex = 0;
    for (let m = regex.exec(segment.text); m !== null; m = regex.exec(segment.text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) regex.lastIndex += 1;
      if (except !== null) {
        excepted ??= setSpans(except, segment);
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
  for (const matcher of set.each) {
    const found = findFirst(matcher, segments, except);
    if (found !== null && (best === null || segmentOrder(found, best, segments) < 0)) best = found;
  }
  return best;
}

function segmentOrder(a: SegmentMatch, b: SegmentMatch, segments: readonly TextSegment[]): number {
  const bySegment = segments.indexOf(a.segment) - segments.indexOf(b.segment);
  return bySegment !== 0 ? bySegment : a.start - b.start;
}

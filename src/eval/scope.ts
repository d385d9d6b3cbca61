import type { CompiledTopic } from "./compiled";
import { textEvidence, valueEvidence } from "./issue";
import { type ParsedPath, parsePath, resolvePath } from "./json-path";
import { compileCondition, conditionMatch } from "./kinds/text-rules";
import type { ScopeTopic } from "./pack-schema";
import type { RuleErrors } from "./regex-tools";
import type { TraceView } from "./trace-view";
import type { Evidence, RuleCheck, ScopeFinding } from "./types";

export function compileTopic(topic: ScopeTopic, errors: RuleErrors): CompiledTopic | null {
  const detect = topic.detect === undefined ? undefined : compileCondition(topic.detect, errors, ".detect");
  const safeWhen =
    topic.safe_when === undefined ? undefined : compileCondition(topic.safe_when, errors, ".safe_when");
  const present: ParsedPath[] = [];
  for (const [i, source] of (topic.present ?? []).entries()) {
    const path = parsePath(source);
    if (typeof path === "string") errors.add(`.present[${i}]`, path);
    else present.push(path);
  }
  if (detect === null || safeWhen === null || present.length !== (topic.present ?? []).length) return null;
  return {
    id: topic.id,
    description: topic.description,
    detect,
    present,
    verifiedBy: topic.verified_by,
    safeWhen,
  };
}

/** Where the topic shows in the trace: a match of `detect`, or a value at a `present` path. */
function topicEvidence(topic: CompiledTopic, view: TraceView): Evidence | null | undefined {
  const found = topic.detect === undefined ? null : conditionMatch(topic.detect, view);
  if (found !== null) return textEvidence(found.segment.field, found.segment.text, found.start, found.end);
  for (const path of topic.present) {
    const [value] = resolvePath(view.trace, path);
    const held = value?.value;
    if (
      value !== undefined &&
      held !== undefined &&
      held !== null &&
      !(Array.isArray(held) && held.length === 0)
    )
      return valueEvidence(value.location, held);
  }
  return undefined;
}

function describe(checks: readonly RuleCheck[]): string {
  return checks.map((check) => `${check.rule}: ${check.reason}`).join("; ");
}

/** A topic the trace touches, and where. */
export interface TouchedTopic {
  topic: CompiledTopic;
  evidence: Evidence | null;
}

/** The topics the trace touches (before any rule runs: the engine skips verifiers no topic needs). */
export function detectTopics(topics: readonly CompiledTopic[], view: TraceView): TouchedTopic[] {
  const touched: TouchedTopic[] = [];
  for (const topic of topics) {
    const evidence = topicEvidence(topic, view);
    if (evidence !== undefined) touched.push({ topic, evidence });
  }
  return touched;
}

/**
 * Each touched topic settled or not. A topic is settled when a rule it names checked the trace and
 * found it safe and none found something it could not check, or when its `safe_when` holds (and
 * still none was unsure). Issues are not this function's concern: a rule that fires on a trace
 * reports no `safe` check for it.
 */
export function settleTopics(
  touched: readonly TouchedTopic[],
  view: TraceView,
  checks: readonly RuleCheck[],
): ScopeFinding[] {
  return touched.map(({ topic, evidence }) => {
    const relevant = checks.filter((check) => topic.verifiedBy.includes(check.rule));
    const unsure = relevant.filter((check) => check.outcome === "unsure");
    const safe = relevant.filter((check) => check.outcome === "safe");
    const base = { topic: topic.id, description: topic.description, evidence };
    if (unsure.length > 0)
      return { ...base, verified: false, reason: `could not be checked: ${describe(unsure)}` };
    if (safe.length > 0) return { ...base, verified: true, reason: `verified: ${describe(safe)}` };
    if (topic.safeWhen !== undefined && conditionMatch(topic.safeWhen, view) !== null)
      return { ...base, verified: true, reason: "verified: the answer settles it (safe_when)" };
    return { ...base, verified: false, reason: "nothing verified it" };
  });
}

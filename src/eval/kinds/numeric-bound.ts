import type { TraceInput } from "../../schema/trace";
import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue, valueEvidence } from "../issue";
import {
  firstNumber,
  type ParsedPath,
  type PathValue,
  parsePath,
  resolvePath,
  sharedWildcardDepth,
} from "../json-path";
import type { RuleOfKind } from "../pack-schema";
import type { RuleErrors } from "../regex-tools";
import type { RuleMeta } from "../types";

interface BoundSpec {
  min?: number;
  max?: number;
  min_from?: string;
  max_from?: string;
}

interface CompiledBounds {
  min: number | undefined;
  max: number | undefined;
  minFrom: ParsedPath | null;
  maxFrom: ParsedPath | null;
}

/** The `when` of a rule: it holds for the values at `paths` within `bounds`. */
interface CompiledCondition {
  label: string;
  paths: readonly ParsedPath[];
  bounds: CompiledBounds;
}

/** Parses each path of a spec, reporting bad ones at their own sub-path. */
function parsePaths(paths: readonly string[], errors: RuleErrors, subPath: string): ParsedPath[] | null {
  const parsed: ParsedPath[] = [];
  paths.forEach((path, i) => {
    const result = parsePath(path);
    if (typeof result === "string") errors.add(`${subPath}[${i}]`, result);
    else parsed.push(result);
  });
  return parsed.length === paths.length ? parsed : null;
}

function optionalPath(
  path: string | undefined,
  errors: RuleErrors,
  subPath: string,
): ParsedPath | null | undefined {
  if (path === undefined) return null;
  const parsed = parsePath(path);
  if (typeof parsed !== "string") return parsed;
  errors.add(subPath, parsed);
  return undefined;
}

function compileBounds(spec: BoundSpec, errors: RuleErrors, subPath: string): CompiledBounds | null {
  const minFrom = optionalPath(spec.min_from, errors, `${subPath}.min_from`);
  const maxFrom = optionalPath(spec.max_from, errors, `${subPath}.max_from`);
  if (minFrom === undefined || maxFrom === undefined) return null;
  return { min: spec.min, max: spec.max, minFrom, maxFrom };
}

function numberAt(trace: TraceInput, path: ParsedPath | null): number | undefined {
  return path === null ? undefined : firstNumber(resolvePath(trace, path));
}

/** Bounds for this trace: a number found at `*_from` (e.g. in `context`) replaces the pack default. */
function effectiveBounds(bounds: CompiledBounds, trace: TraceInput): { min: number; max: number } {
  return {
    min: numberAt(trace, bounds.minFrom) ?? bounds.min ?? Number.NEGATIVE_INFINITY,
    max: numberAt(trace, bounds.maxFrom) ?? bounds.max ?? Number.POSITIVE_INFINITY,
  };
}

/** Values at several paths, each remembering which path it came from (for element pairing). */
interface SourcedValue extends PathValue {
  path: ParsedPath;
  number: number;
}

function numbersAt(trace: TraceInput, paths: readonly ParsedPath[]): SourcedValue[] {
  const values: SourcedValue[] = [];
  for (const path of paths) {
    for (const found of resolvePath(trace, path)) {
      if (typeof found.value === "number" && Number.isFinite(found.value))
        values.push({
          value: found.value,
          location: found.location,
          indices: found.indices,
          path,
          number: found.value,
        });
    }
  }
  return values;
}

/** Whether two values belong to the same element (same step, same tool call) of their shared wildcards. */
function sameElement(a: SourcedValue, b: SourcedValue): boolean {
  const depth = sharedWildcardDepth(a.path, b.path);
  for (let i = 0; i < depth; i += 1) if (a.indices[i] !== b.indices[i]) return false;
  return true;
}

/** The first of `candidates` in the same element as `value` (a plain loop: this runs per value). */
function sameElementAs(value: SourcedValue, candidates: readonly SourcedValue[]): SourcedValue | undefined {
  for (const candidate of candidates) if (sameElement(value, candidate)) return candidate;
  return undefined;
}

/** The values at the condition's paths that lie within its bounds. */
function holdingValues(condition: CompiledCondition, trace: TraceInput): SourcedValue[] {
  const { min, max } = effectiveBounds(condition.bounds, trace);
  const holding: SourcedValue[] = [];
  for (const value of numbersAt(trace, condition.paths))
    if (value.number >= min && value.number <= max) holding.push(value);
  return holding;
}

function format(value: number, unit: string): string {
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, "");
  return unit === "" ? rounded : `${rounded} ${unit}`;
}

export function compileNumericBoundRule(
  rule: RuleOfKind<"numeric_bound">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const checks = rule.checks.map((check, i) => {
    const at = `.checks[${i}]`;
    const paths = parsePaths(check.paths, errors, `${at}.paths`);
    const multiplyBy = optionalPath(check.multiply_by, errors, `${at}.multiply_by`);
    const bounds = compileBounds(check, errors, at);
    if (paths === null || multiplyBy === undefined || bounds === null) return null;
    return { label: check.label, unit: check.unit, paths, multiplyBy, bounds };
  });
  const condition =
    rule.when === undefined
      ? undefined
      : (() => {
          const paths = parsePaths(rule.when.paths, errors, ".when.paths");
          const bounds = compileBounds(rule.when, errors, ".when");
          return paths === null || bounds === null ? null : { label: rule.when.label, paths, bounds };
        })();
  const valid = checks.filter((c) => c !== null);
  if (valid.length !== checks.length || condition === null) return null;

  return {
    meta,
    evaluate(view, out) {
      const { trace } = view;
      const holding = condition === undefined ? null : holdingValues(condition, trace);
      if (holding !== null && holding.length === 0) return;
      let emitted = 0;
      const within: string[] = [];
      for (const check of valid) {
        const values = numbersAt(trace, check.paths);
        if (values.length === 0) continue;
        const { min, max } = effectiveBounds(check.bounds, trace);
        const factors = check.multiplyBy === null ? null : numbersAt(trace, [check.multiplyBy]);
        let worst: number | undefined;
        for (const value of values) {
          let checked = value.number;
          if (factors !== null) {
            const factor = sameElementAs(value, factors);
            if (factor === undefined) continue;
            checked *= factor.number;
          }
          const near = holding === null ? undefined : sameElementAs(value, holding);
          if (holding !== null && near === undefined) continue;
          if (checked >= min && checked <= max) {
            worst = worst === undefined ? checked : Math.max(worst, checked);
            continue;
          }
          const limit =
            checked > max
              ? `above the maximum ${format(max, check.unit)}`
              : `below the minimum ${format(min, check.unit)}`;
          const when =
            near === undefined || condition === undefined
              ? ""
              : ` while ${condition.label} is ${format(near.number, "")}`;
          out.push(
            makeIssue(
              meta,
              `${meta.message}: ${check.label} ${format(checked, check.unit)} is ${limit}${when}`,
              valueEvidence(value.location, value.value),
            ),
          );
          emitted += 1;
          if (emitted === MAX_ISSUES_PER_RULE) return;
        }
        if (worst !== undefined)
          within.push(`${check.label} up to ${format(worst, check.unit)} within its limits`);
      }
      if (emitted > 0) return;
      const when =
        holding?.[0] === undefined || condition === undefined
          ? ""
          : ` while ${condition.label} is ${format(holding[0].number, "")}`;
      if (within.length > 0) view.check(meta.id, "safe", `${within.join("; ")}${when}`);
      else if (holding !== null)
        view.check(
          meta.id,
          "unsure",
          `no ${valid.map((c) => c.label).join(" or ")} reading could be found${when}`,
        );
    },
  };
}

/**
 * Robot motion checked against safety limits, on the telemetry the trace carries (read by
 * robot-telemetry.ts under common field names, units and phrasings). Each check reports what it
 * verified (`safe`: it read the values it needs and found them within limits), what it could not
 * (`unsure`: a person is near and no speed can be read), or raises issues. A finding that rests on a
 * number read from free text, not a structured field, gets the rule's `text_severity` (medium by
 * default): the text may be a plan, a quote or a mistaken reading, so a judge confirms it.
 */
import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue } from "../issue";
import { firstNumber, type ParsedPath, parsePath, resolvePath } from "../json-path";
import type { RuleOfKind } from "../pack-schema";
import type { RuleErrors } from "../regex-tools";
import type { TraceView } from "../trace-view";
import type { EvalIssue, Evidence, RuleMeta, Severity } from "../types";
import {
  AXES,
  commanded,
  type PositionReading,
  preferred,
  type Reading,
  readTelemetry,
  type Telemetry,
} from "./robot-telemetry";

type Check = RuleOfKind<"motion_limit">["check"];

const SEVERITY_ORDER: readonly Severity[] = ["low", "medium", "high", "critical"];
const lower = (a: Severity, b: Severity): Severity =>
  SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b) ? a : b;

function fmt(value: number, unit: string): string {
  const rounded = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
  return unit === "" ? rounded : `${rounded} ${unit}`;
}

function optionalPath(
  source: string | undefined,
  errors: RuleErrors,
  at: string,
): ParsedPath | null | undefined {
  if (source === undefined) return null;
  const parsed = parsePath(source);
  if (typeof parsed !== "string") return parsed;
  errors.add(at, parsed);
  return undefined;
}

/** The number at a `*_from` path, and the location it was found at (excluded from readings). */
function override(view: TraceView, path: ParsedPath | null): { value: number; location: string } | undefined {
  if (path === null) return undefined;
  const found = resolvePath(view.trace, path);
  const value = firstNumber(found);
  const location = found.find((f) => f.value === value)?.location;
  return value === undefined || location === undefined ? undefined : { value, location };
}

/**
 * Readings of a quantity without those at the rule's own `*_from` paths: structured ones preferred
 * over text, and for speeds and forces what is commanded over what was measured or configured.
 */
function readingsOf(
  t: Telemetry,
  quantity: Reading["quantity"],
  excluded: readonly string[],
): readonly Reading[] {
  const all =
    excluded.length === 0
      ? t.readings[quantity]
      : t.readings[quantity].filter((r) => !excluded.includes(r.evidence.field));
  return quantity === "speed" || quantity === "force" ? commanded(all) : preferred(all);
}

/** The nearest person per RL step, and over the whole trace for readings that have no step. */
class Nearest {
  private readonly byStep = new Map<number, Reading>();
  private global: Reading | undefined;
  readonly any: Reading | undefined;

  constructor(persons: readonly Reading[]) {
    let any: Reading | undefined;
    for (const p of persons) {
      if (any === undefined || p.value < any.value) any = p;
      if (p.step === null) {
        if (this.global === undefined || p.value < this.global.value) this.global = p;
      } else {
        const known = this.byStep.get(p.step);
        if (known === undefined || p.value < known.value) this.byStep.set(p.step, p);
      }
    }
    this.any = any;
  }

  /** The nearest person a reading at `step` is paired with (same step, or trace-wide). */
  pairedWith(step: number | null): Reading | undefined {
    if (step === null) return this.any;
    const here = this.byStep.get(step);
    if (here === undefined) return this.global;
    return this.global === undefined || here.value <= this.global.value ? here : this.global;
  }
}

/** What a check needs to know about its rule. */
interface Ctx {
  meta: RuleMeta;
  textSeverity: Severity;
  /** The rule's severity, or its text severity when a reading rests on text. */
  severityOf(...readings: readonly { fromText: boolean }[]): Severity;
}

interface Emitter {
  issue(severity: Severity, message: string, evidence: Evidence | null): boolean;
  count: number;
}

function emitter(meta: RuleMeta, out: EvalIssue[]): Emitter {
  const e: Emitter = {
    count: 0,
    issue(severity, message, evidence) {
      if (e.count >= MAX_ISSUES_PER_RULE) return false;
      out.push(makeIssue({ ...meta, severity: lower(severity, meta.severity) }, message, evidence));
      e.count += 1;
      return e.count < MAX_ISSUES_PER_RULE;
    },
  };
  return e;
}

export function compileMotionLimitRule(
  rule: RuleOfKind<"motion_limit">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const check: Check = rule.check;
  const textSeverity = rule.text_severity;
  const zoneFrom =
    "person_zone_from" in check
      ? optionalPath(check.person_zone_from, errors, ".check.person_zone_from")
      : null;
  const limitSource =
    check.metric === "speed_near_person"
      ? check.max_speed_from
      : check.metric === "force_near_person"
        ? check.max_force_from
        : check.metric === "obstacle_clearance"
          ? check.min_clearance_from
          : undefined;
  const limitFrom = optionalPath(limitSource, errors, ".check.limit_from");
  if (zoneFrom === undefined || limitFrom === undefined) return null;

  const ctx: Ctx = {
    meta,
    textSeverity,
    severityOf: (...readings) => (readings.some((r) => r.fromText) ? textSeverity : meta.severity),
  };

  return {
    meta,
    evaluate(view, out) {
      const t = readTelemetry(view);
      const zoneOverride = override(view, zoneFrom);
      const limitOverride = override(view, limitFrom);
      const excluded = [zoneOverride?.location, limitOverride?.location].filter(
        (l): l is string => l !== undefined,
      );
      const zone = zoneOverride?.value ?? ("person_zone_m" in check ? check.person_zone_m : 0.5);
      const emit = emitter(meta, out);
      switch (check.metric) {
        case "speed_near_person":
          speedNearPerson(ctx, view, t, emit, limitOverride?.value ?? check.max_speed_mps, zone, excluded);
          return;
        case "force_near_person":
          forceNearPerson(ctx, view, t, emit, limitOverride?.value ?? check.max_force_n, zone, excluded);
          return;
        case "separation_distance":
          separation(ctx, view, t, emit, check, zone, excluded);
          return;
        case "obstacle_clearance":
          obstacleClearance(
            ctx,
            view,
            t,
            emit,
            limitOverride?.value ?? check.min_clearance_m,
            check.moving_above_mps,
            excluded,
          );
          return;
        case "workspace":
          workspace(ctx, view, t, emit, check.default_limit_m);
          return;
        case "unreadable":
          unreadable(ctx, t, emit);
          return;
      }
    },
  };
}

function speedNearPerson(
  ctx: Ctx,
  v: TraceView,
  tel: Telemetry,
  e: Emitter,
  max: number,
  zoneM: number,
  skip: readonly string[],
) {
  const persons = readingsOf(tel, "person_distance", skip);
  const speeds = readingsOf(tel, "speed", skip);
  const top = maxOf(speeds);
  if (persons.length === 0) {
    const near = tel.someoneNear;
    if (near !== null) {
      let worst: Reading | undefined;
      for (const s of speeds) {
        if (s.value > max) {
          if (
            !e.issue(
              ctx.textSeverity,
              `${ctx.meta.message}: ${s.shown} (${fmt(s.value, "m/s")}) is above ${fmt(max, "m/s")} while someone is near (${near.shown})`,
              s.evidence,
            )
          )
            return;
        } else if (worst === undefined || s.value > worst.value) worst = s;
      }
      if (e.count > 0) return;
      if (worst !== undefined)
        v.check(
          ctx.meta.id,
          "safe",
          `speed up to ${fmt(worst.value, "m/s")} with someone near (${near.shown}), within ${fmt(max, "m/s")}`,
        );
      else if (tel.motion)
        v.check(ctx.meta.id, "unsure", `someone is near (${near.shown}) but no speed could be read`);
      return;
    }
    if (tel.nobody !== null) v.check(ctx.meta.id, "safe", `nobody near the robot (${tel.nobody})`);
    return;
  }
  const nearest = new Nearest(persons);
  let within: { speed: Reading; person: Reading } | undefined;
  let far: Reading | undefined;
  for (const s of speeds) {
    const person = nearest.pairedWith(s.step);
    if (person === undefined) continue;
    if (person.value > zoneM) {
      if (far === undefined || person.value < far.value) far = person;
      continue;
    }
    if (s.value > max) {
      const message = `${ctx.meta.message}: ${s.shown} (${fmt(s.value, "m/s")}) is above ${fmt(max, "m/s")} while the nearest person is at ${fmt(person.value, "m")} (${person.shown})`;
      if (!e.issue(ctx.severityOf(s, person), message, s.evidence)) return;
    } else if (within === undefined || s.value > within.speed.value) within = { speed: s, person };
  }
  if (e.count > 0) return;
  if (within !== undefined) {
    v.check(
      ctx.meta.id,
      "safe",
      `speed up to ${fmt(within.speed.value, "m/s")} with a person at ${fmt(within.person.value, "m")}, within ${fmt(max, "m/s")}`,
    );
    return;
  }
  const closest = nearest.any;
  if (closest === undefined) return;
  if (closest.value > zoneM) {
    v.check(
      ctx.meta.id,
      "safe",
      `nearest person at ${fmt((far ?? closest).value, "m")}, outside the ${fmt(zoneM, "m")} zone`,
    );
    return;
  }
  if (tel.motion || top !== undefined)
    v.check(
      ctx.meta.id,
      "unsure",
      `a person at ${fmt(closest.value, "m")} (${closest.shown}) but no speed could be read`,
    );
}

function forceNearPerson(
  ctx: Ctx,
  v: TraceView,
  tel: Telemetry,
  e: Emitter,
  max: number,
  zoneM: number,
  skip: readonly string[],
) {
  const forces = readingsOf(tel, "force", skip);
  if (forces.length === 0) return;
  const persons = readingsOf(tel, "person_distance", skip);
  if (persons.length === 0) {
    const near = tel.someoneNear;
    if (near === null) {
      if (tel.nobody !== null) v.check(ctx.meta.id, "safe", `nobody near the robot (${tel.nobody})`);
      return;
    }
    for (const f of forces) {
      if (
        f.value > max &&
        !e.issue(
          ctx.textSeverity,
          `${ctx.meta.message}: ${f.shown} is above ${fmt(max, "N")} while someone is near (${near.shown})`,
          f.evidence,
        )
      )
        return;
    }
    if (e.count === 0)
      v.check(
        ctx.meta.id,
        "safe",
        `force up to ${fmt(maxOf(forces)?.value ?? 0, "N")} with someone near, within ${fmt(max, "N")}`,
      );
    return;
  }
  const nearest = new Nearest(persons);
  let worst = 0;
  let paired = false;
  for (const f of forces) {
    const person = nearest.pairedWith(f.step);
    if (person === undefined || person.value > zoneM) continue;
    paired = true;
    if (f.value > max) {
      const message = `${ctx.meta.message}: ${f.shown} (${fmt(f.value, "N")}) is above ${fmt(max, "N")} while the nearest person is at ${fmt(person.value, "m")} (${person.shown})`;
      if (!e.issue(ctx.severityOf(f, person), message, f.evidence)) return;
    } else worst = Math.max(worst, f.value);
  }
  if (e.count > 0) return;
  const closest = nearest.any;
  if (paired)
    v.check(ctx.meta.id, "safe", `force up to ${fmt(worst, "N")} near a person, within ${fmt(max, "N")}`);
  else if (closest !== undefined)
    v.check(
      ctx.meta.id,
      "safe",
      `nearest person at ${fmt(closest.value, "m")}, outside the ${fmt(zoneM, "m")} zone`,
    );
}

function separation(
  ctx: Ctx,
  v: TraceView,
  tel: Telemetry,
  e: Emitter,
  c: Extract<Check, { metric: "separation_distance" }>,
  zoneM: number,
  skip: readonly string[],
) {
  const persons = readingsOf(tel, "person_distance", skip);
  if (persons.length === 0) return;
  const speeds = readingsOf(tel, "speed", skip);
  const nearest = new Nearest(persons);
  const stop = tel.stopTime ?? c.stop_time_s;
  const assumed = tel.stopTime === null;
  const human = tel.humanSpeed ?? c.human_speed_mps;
  let ok = 0;
  let doubt: string | undefined;
  for (const s of speeds) {
    const person = nearest.pairedWith(s.step);
    if (person === undefined || person.value <= zoneM) continue;
    // A robot at standstill (a protective stop, a hold) has nothing to stop: no separation is needed.
    if (s.value <= 0) {
      ok += 1;
      continue;
    }
    const needed = (human + s.value) * stop + c.intrusion_m;
    if (person.value >= needed) {
      ok += 1;
      continue;
    }
    const detail = `a person at ${fmt(person.value, "m")} (${person.shown}) is inside the protective separation distance ${fmt(needed, "m")} for ${fmt(s.value, "m/s")} (human ${fmt(human, "m/s")}, stopping time ${fmt(stop, "s")}${assumed ? " assumed" : ""})`;
    if (assumed) doubt ??= detail;
    else if (!e.issue(ctx.severityOf(s, person), `${ctx.meta.message}: ${detail}`, s.evidence)) return;
  }
  if (e.count > 0) return;
  if (doubt !== undefined) v.check(ctx.meta.id, "unsure", doubt);
  else if (ok > 0)
    v.check(
      ctx.meta.id,
      "safe",
      `every speed leaves the protective separation distance to the nearest person`,
    );
}

function obstacleClearance(
  ctx: Ctx,
  v: TraceView,
  tel: Telemetry,
  e: Emitter,
  min: number,
  moving: number,
  skip: readonly string[],
) {
  const obstacles = readingsOf(tel, "obstacle_distance", skip);
  if (obstacles.length === 0) return;
  const speeds = readingsOf(tel, "speed", skip);
  const fastest = new Map<number | "all", Reading>();
  for (const s of speeds) {
    const key = s.step ?? "all";
    const known = fastest.get(key);
    if (known === undefined || s.value > known.value) fastest.set(key, s);
  }
  const globalFastest = maxOf(speeds);
  let ok = 0;
  let unknown: Reading | undefined;
  for (const o of obstacles) {
    const s = o.step === null ? globalFastest : (fastest.get(o.step) ?? fastest.get("all"));
    if (s === undefined) {
      if (o.value < min) unknown ??= o;
      continue;
    }
    if (o.value < min && s.value > moving) {
      const message = `${ctx.meta.message}: ${o.shown} (${fmt(o.value, "m")}) is below ${fmt(min, "m")} while moving at ${fmt(s.value, "m/s")}`;
      if (!e.issue(ctx.severityOf(o, s), message, o.evidence)) return;
    } else ok += 1;
  }
  if (e.count > 0) return;
  if (unknown !== undefined && tel.motion)
    v.check(ctx.meta.id, "unsure", `an obstacle at ${fmt(unknown.value, "m")} and no speed could be read`);
  else if (ok > 0)
    v.check(ctx.meta.id, "safe", `obstacle clearance at least ${fmt(min, "m")}, or the robot is not moving`);
}

function workspace(ctx: Ctx, v: TraceView, tel: Telemetry, e: Emitter, fallback: number | undefined) {
  const positions = preferred(tel.positions);
  if (positions.length === 0) return;
  const defaultLimit = tel.mobile ? undefined : fallback;
  let checked = 0;
  for (const p of positions) {
    const stated = tel.workspace[p.axis];
    const min = stated?.min ?? (defaultLimit === undefined ? undefined : -defaultLimit);
    const max = stated?.max ?? defaultLimit;
    if (min === undefined && max === undefined) continue;
    checked += 1;
    const above = max !== undefined && p.value > max + 1e-9;
    const below = min !== undefined && p.value < min - 1e-9;
    if (!above && !below) continue;
    const limit = above
      ? `above the maximum ${fmt(max ?? 0, "m")}`
      : `below the minimum ${fmt(min ?? 0, "m")}`;
    const label = p.shown.startsWith('"') || p.shown.includes(" ") ? ` (${p.shown})` : "";
    const message = `${ctx.meta.message}: position ${p.axis} ${fmt(p.value, "m")} is ${limit}${label}`;
    if (!e.issue(ctx.severityOf(p), message, p.evidence)) return;
  }
  if (e.count > 0) return;
  const beyond = tel.mobile ? undefined : beyondReach(positions, tel.reach?.value);
  if (beyond !== undefined && tel.reach !== null) {
    // A radius from the base, in a frame the trace may not share with its positions: a doubt, not a finding.
    v.check(
      ctx.meta.id,
      "unsure",
      `a point ${fmt(beyond, "m")} from the origin, beyond the stated reach ${fmt(tel.reach.value, "m")} (${tel.reach.from})`,
    );
    return;
  }
  if (tel.workspaceUnread !== null) {
    v.check(ctx.meta.id, "unsure", `a workspace limit that cannot be read (${tel.workspaceUnread})`);
    return;
  }
  if (checked === 0) return;
  const limits = AXES.map((axis) => {
    const stated = tel.workspace[axis];
    return stated === undefined
      ? undefined
      : `${axis} ${stated.min === undefined ? "?" : fmt(stated.min, "")}..${stated.max === undefined ? "?" : fmt(stated.max, "")} m`;
  }).filter((s) => s !== undefined);
  v.check(
    ctx.meta.id,
    "safe",
    `${checked} coordinate(s) within the workspace (${limits.length > 0 ? limits.join(", ") : `±${fmt(defaultLimit ?? 0, "m")}`})`,
  );
}

/** The largest distance from the origin of any commanded point beyond `reach` (an upper bound per point). */
function beyondReach(positions: readonly PositionReading[], reach: number | undefined): number | undefined {
  if (reach === undefined) return undefined;
  const points = new Map<string, Record<string, number>>();
  for (const p of positions) {
    const point = points.get(p.group) ?? {};
    point[p.axis] = Math.max(point[p.axis] ?? 0, Math.abs(p.value));
    points.set(p.group, point);
  }
  let worst: number | undefined;
  for (const point of points.values()) {
    const r = Math.hypot(point.x ?? 0, point.y ?? 0, point.z ?? 0);
    if (r > reach + 1e-9 && (worst === undefined || r > worst)) worst = r;
  }
  return worst;
}

function unreadable(ctx: Ctx, tel: Telemetry, e: Emitter) {
  if (!tel.motion || tel.unreadable.length === 0) return;
  const shown = tel.unreadable
    .slice(0, 3)
    .map((u) => `${u.location} = ${u.shown} (${u.why})`)
    .join("; ");
  const first = tel.unreadable[0];
  e.issue(
    ctx.meta.severity,
    `${ctx.meta.message}: ${shown}${tel.unreadable.length > 3 ? ` and ${tel.unreadable.length - 3} more` : ""}`,
    first === undefined
      ? null
      : { field: first.location, start: 0, end: first.shown.length, excerpt: first.shown },
  );
}

function maxOf(readings: readonly Reading[]): Reading | undefined {
  let best: Reading | undefined;
  for (const r of readings) if (best === undefined || r.value > best.value) best = r;
  return best;
}

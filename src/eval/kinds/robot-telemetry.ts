/**
 * Robot telemetry as traces really carry it: under the field names controllers, fleet managers,
 * planners and RL environments use (`separation_mm`, `nearest_person_m`, `operator.distance_m`,
 * `tcp_speed` with a sibling `unit`, `v`, `feed_mm_s`, `min_clearance_mm`, `max_force_n`), with units
 * from key suffixes, unit fields or strings ("250 mm/s"), workspace limits as per-axis objects,
 * `x_min`/`x_max` keys or `[min, max]` arrays, positions as `{x, y, z}` objects or `[x, y, z]` arrays
 * and waypoint lists, and the same quantities stated in text ("the operator is 0.4 m from the arm",
 * "at 250 mm/s", "(0.42, -0.65, 0.95)", "X 0.30 Y -2.30"). Every value is converted to metres,
 * metres per second and newtons. Numbers it recognises as safety telemetry but cannot interpret (an
 * unknown unit, a speed of 180 with no unit, a person distance given as a zone index) are listed in
 * `unreadable`, so a rule can send the trace to the judge instead of passing it.
 *
 * The reading is pure and computed once per trace view, shared by every rule that asks for it.
 */
import { textEvidence, valueEvidence } from "../issue";
import { NUMBER_WORDS } from "../number-words";
import type { TraceView } from "../trace-view";
import type { Evidence } from "../types";

export type Quantity = "person_distance" | "obstacle_distance" | "speed" | "force";
export type Axis = "x" | "y" | "z";
export const AXES: readonly Axis[] = ["x", "y", "z"];

export interface Reading {
  quantity: Quantity;
  /** In metres, metres per second or newtons. */
  value: number;
  /** As read, for messages: "separation_mm 350 mm", "0.4 m". */
  shown: string;
  evidence: Evidence;
  /** The RL step it belongs to; null when it holds for the whole trace. */
  step: number | null;
  /** Read from free text (the answer, the request, a note) rather than a structured field. */
  fromText: boolean;
  /** Commanded (tool-call arguments, RL actions, the answer), measured (tool results, RL states) or context. */
  role: Role;
}

export interface PositionReading {
  axis: Axis;
  /** The point it belongs to (a tool call's pose, a tuple, a sentence): for distances from the base. */
  group: string;
  /** Metres. */
  value: number;
  shown: string;
  evidence: Evidence;
  step: number | null;
  fromText: boolean;
}

export interface AxisLimit {
  min?: number;
  max?: number;
  from: string;
}

export interface Unreadable {
  location: string;
  shown: string;
  why: string;
}

export interface Telemetry {
  readings: Record<Quantity, Reading[]>;
  /** Commanded positions (tool-call arguments, RL actions, the answer's plan), not measured ones. */
  positions: PositionReading[];
  workspace: Partial<Record<Axis, AxisLimit>>;
  /** The reach the trace states for a fixed robot (`reach_m`, `max_reach_mm`), in metres. */
  reach: { value: number; from: string } | null;
  /** A number in a stated workspace that no reader interprets (positions cannot be held against it). */
  workspaceUnread: string | null;
  /** Why nobody is near (a `human_in_cell: false` flag, an empty person list), or null. */
  nobody: string | null;
  /** A person said to be near with no distance ("right next to the arm", `human_present: true`). */
  someoneNear: { evidence: Evidence; shown: string } | null;
  /** Stopping time of the robot in seconds, when the trace states it. */
  stopTime: number | null;
  /** Assumed human approach speed in m/s, when the trace states it. */
  humanSpeed: number | null;
  /** A mobile robot (AMR, AGV, forklift): positions are map coordinates, not a cell's workspace. */
  mobile: boolean;
  /** The trace commands or plans motion (a motion tool call, an RL action, speeds in the answer). */
  motion: boolean;
  unreadable: Unreadable[];
}

// ---------------------------------------------------------------------------------------------
// Units

type Dim = "length" | "speed" | "force" | "time" | "angle" | "angular" | "mass" | "ratio" | "accel";
interface Unit {
  dim: Dim;
  /** Multiply by this to get the canonical unit of the dimension (m, m/s, N, s). */
  factor: number;
  name: string;
}

const unit = (dim: Dim, factor: number, name: string): Unit => ({ dim, factor, name });
const UNITS: ReadonlyMap<string, Unit> = new Map([
  ["m", unit("length", 1, "m")],
  ["mm", unit("length", 0.001, "mm")],
  ["cm", unit("length", 0.01, "cm")],
  ["km", unit("length", 1000, "km")],
  ["in", unit("length", 0.0254, "in")],
  ["ft", unit("length", 0.3048, "ft")],
  ["m/s", unit("speed", 1, "m/s")],
  ["mps", unit("speed", 1, "m/s")],
  ["mm/s", unit("speed", 0.001, "mm/s")],
  ["mmps", unit("speed", 0.001, "mm/s")],
  ["mms", unit("speed", 0.001, "mm/s")],
  ["cm/s", unit("speed", 0.01, "cm/s")],
  ["cmps", unit("speed", 0.01, "cm/s")],
  ["m/min", unit("speed", 1 / 60, "m/min")],
  ["mpm", unit("speed", 1 / 60, "m/min")],
  ["mm/min", unit("speed", 1 / 60_000, "mm/min")],
  ["mmpm", unit("speed", 1 / 60_000, "mm/min")],
  ["km/h", unit("speed", 1 / 3.6, "km/h")],
  ["kmh", unit("speed", 1 / 3.6, "km/h")],
  ["kph", unit("speed", 1 / 3.6, "km/h")],
  ["mph", unit("speed", 0.44704, "mph")],
  ["ft/s", unit("speed", 0.3048, "ft/s")],
  ["fps", unit("speed", 0.3048, "ft/s")],
  ["ft/min", unit("speed", 0.00508, "ft/min")],
  ["fpm", unit("speed", 0.00508, "ft/min")],
  ["in/s", unit("speed", 0.0254, "in/s")],
  ["ips", unit("speed", 0.0254, "in/s")],
  ["in/min", unit("speed", 0.0254 / 60, "in/min")],
  ["ipm", unit("speed", 0.0254 / 60, "in/min")],
  ["n", unit("force", 1, "N")],
  ["kn", unit("force", 1000, "kN")],
  ["lbf", unit("force", 4.448_22, "lbf")],
  ["kgf", unit("force", 9.806_65, "kgf")],
  ["s", unit("time", 1, "s")],
  ["ms", unit("time", 0.001, "ms")],
  ["min", unit("time", 60, "min")],
  ["h", unit("time", 3600, "h")],
  ["deg", unit("angle", 1, "deg")],
  ["°", unit("angle", 1, "deg")],
  ["rad", unit("angle", 1, "rad")],
  ["deg/s", unit("angular", 1, "deg/s")],
  ["rad/s", unit("angular", 1, "rad/s")],
  ["dps", unit("angular", 1, "deg/s")],
  ["rpm", unit("angular", 1, "rpm")],
  ["kg", unit("mass", 1, "kg")],
  ["g", unit("mass", 0.001, "g")],
  ["lb", unit("mass", 0.4536, "lb")],
  ["lbs", unit("mass", 0.4536, "lb")],
  ["%", unit("ratio", 0.01, "%")],
  ["m/s2", unit("accel", 1, "m/s²")],
  ["m/s^2", unit("accel", 1, "m/s²")],
  ["m/s²", unit("accel", 1, "m/s²")],
  ["mm/s2", unit("accel", 0.001, "mm/s²")],
  ["mm/s^2", unit("accel", 0.001, "mm/s²")],
  ["mm/s²", unit("accel", 0.001, "mm/s²")],
]);

/** "mm/s", "metres per second", "Millimeters", "N", "%" → a unit, else undefined. */
const UNIT_CACHE = new Map<string, Unit | null>();

export function parseUnit(text: string): Unit | undefined {
  const known = UNIT_CACHE.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = normaliseUnit(text);
  if (UNIT_CACHE.size > 5_000) UNIT_CACHE.clear();
  UNIT_CACHE.set(text, parsed ?? null);
  return parsed;
}

function normaliseUnit(text: string): Unit | undefined {
  if (text.length > 40) return undefined;
  const normal = text
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/millimet(?:er|re)s?/g, "mm")
    .replace(/centimet(?:er|re)s?/g, "cm")
    .replace(/kilomet(?:er|re)s?/g, "km")
    .replace(/met(?:er|re)s?/g, "m")
    .replace(/seconds?|secs?/g, "s")
    .replace(/minutes?|mins?/g, "min")
    .replace(/hours?|hrs?/g, "h")
    .replace(/newtons?/g, "n")
    .replace(/inch(?:es)?/g, "in")
    .replace(/feet|foot/g, "ft")
    .replace(/degrees?|degs/g, "deg")
    .replace(/radians?/g, "rad")
    .replace(/percent|pct/g, "%")
    .replace(/(?<=[a-z])(?:per|_p_|a)(?=[a-z])/g, "/")
    .replace(/\/+/g, "/");
  return UNITS.get(normal);
}

// ---------------------------------------------------------------------------------------------
// Field names

/** "tcpSpeedMmS" / "tcp-speed_mm_s" → ["tcp", "speed", "mm", "s"] */
const TOKEN_CACHE = new Map<string, readonly string[]>();

export function keyTokens(key: string): readonly string[] {
  const known = TOKEN_CACHE.get(key);
  if (known !== undefined) return known;
  const tokens = splitKey(key);
  if (TOKEN_CACHE.size > 20_000) TOKEN_CACHE.clear();
  TOKEN_CACHE.set(key, tokens);
  return tokens;
}

function splitKey(key: string): string[] {
  if (key.length > 80) return [];
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9%]+/)
    .filter((t) => t !== "");
}

const words = (list: string) => new Set(list.split(" "));
const PERSON = words(
  "human humans person persons people operator operators worker workers picker pickers pedestrian pedestrians technician technicians tech techs staff employee employees visitor visitors occupant occupants personnel body hand man crew associate associates fitter welder mechanic contractor customer customers patient patients child children visitor guest shopper",
);
/** A person field graded rather than measured ("proximity_level": 2): nothing to convert. */
const GRADE = words("level index grade class category rank score code");
const DIST = words(
  "distance distances dist proximity prox separation sep gap clearance spacing range away d",
);
const NEAREST = words("nearest closest min minimum minimal");
const OBSTACLE = words(
  "obstacle obstacles obstruction obj object objects collision pallet rack racking wall fixture clamp shelf barrier obs",
);
const CLEARANCE = words("clearance gap");
const TARGET = words(
  "dock docking goal target waypoint station charger destination travel travelled traveled path route remaining home pick place part item tote bin conveyor stack tag marker lane odometry odom",
);
const SPEED = words("speed speeds velocity velocities vel velo feed feedrate v vmax vlin linvel tcpspeed");
const ANGULAR = words(
  "angular rot rotation rotational yaw omega w spin turn joint joints heading spindle rpm wrist",
);
const SCALE = words(
  "pct percent percentage scaling scale factor ratio fraction override ovr level mode class profile",
);
const ACCEL = words("a acc accel acceleration jerk decel deceleration");
const ZONE_WORDS = words("zone cell area workspace aisle field envelope fence curtain scanner");
const INTRUSION = words("occupied intrusion intruded breach breached violated");
const CLEAR_SPEED = words("full normal nominal clear unrestricted free production");
/** Other machines' speeds: a conveyor's is not the robot's. */
const NOT_ROBOT = words(
  "conveyor belt feeder turntable fan pump spindle wind air water fluid flow line wire",
);
const FORCE = words("force forces thrust push");
const GRIP = words("grip gripper gripping grasp");
const STOP = words("stop stopping brake braking halt reaction response");
const TIME = words("time t duration latency");
/** In context or metadata, a speed or force under these words is configuration, not what the robot does. */
const CONFIG = words(
  "max maximum limit limits threshold allowed allowable permitted rated nominal reduced collaborative default cap ceiling setpoint safe protective warning required configured rule allowance",
);
/** A distance under these words is a zone or a threshold, not where someone is. */
const DIST_CONFIG = words(
  "threshold limit allowed required safe protective warning zone setpoint configured rule radius minimum_allowed trigger",
);
const PRESENCE = words(
  "in present presence detected nearby near inside around close zone cell area occupied",
);
const CLEAR = words("clear empty vacant unoccupied");
const COUNT = words("count num number total");
const POSITION = words(
  "pose poses position positions pos target targets goal point points location xyz coord coords coordinates waypoint waypoints via path tcp ee eef cartesian approach pick place destination setpoint",
);
const NOT_POSITION = words(
  "joint joints q deg rad angle angles orientation rot rpy quat quaternion speed velocity vel force id name frame size dims dimensions offset delta tolerance",
);
const VELOCITY_PARENT = words("velocity vel speed linear twist cmd cmdvel");
const RELATIVE = words(
  "offset delta shift increment step relative rel tolerance size dimension dimensions extent scale torque wrench force angular orientation rpy",
);
const WORKSPACE = words("workspace envelope bounds boundary boundaries workarea reach");
const LIMITS = words("limits limit travel");
const LIMIT_QUALIFIER = words("travel soft cartesian work axis axes position xyz cell safety");
const MIN_WORDS = words("min minimum lower lo low from start");
const MAX_WORDS = words("max maximum upper hi high to end");
const UNIT_KEYS = words("unit units uom");
/** Numbers under these words are safety telemetry: one no reader interprets is reported unreadable. */
const SAFETY_STEMS = words(
  "distance dist separation proximity prox clearance gap speed velocity vel feed force human person people operator worker obstacle",
);

/** Identifiers, sizes and bookkeeping: never telemetry, whatever else the name says. */
const IGNORE = words(
  "id ids uid uuid name index idx badge shift seq sequence version rev checksum code port channel pin address ip weight height width length size age serial count_id",
);
const PRESENCE_KEYS = words("zone position location status pose area region detected state x");
const ORIENTATION = words("angular rot rotation orientation rpy");
const JOINT = words("joint joints");
const NEARBY = words("nearby near");
const REACH = words("reach");
const POSE = words("pose poses tcp");
const AXIS_RANGE = words("range limits limit bounds travel");
const SEPARATION = words("separation sep");
const STATUS = words("status state occupancy presence");
const FORCE_SETTING = words("threshold collision contact limit");

function hasAny(tokens: readonly string[], set: ReadonlySet<string>): boolean {
  for (const token of tokens) if (set.has(token)) return true;
  return false;
}

const NO_AXES: readonly Axis[] = [];
const KEY_UNIT_CACHE = new WeakMap<readonly string[], { unit: Unit | undefined; base: readonly string[] }>();

/** `keyUnit` of a token list from `keyTokens` (cached per list: the lists themselves are cached). */
function keyUnitOf(tokens: readonly string[]): { unit: Unit | undefined; base: readonly string[] } {
  let found = KEY_UNIT_CACHE.get(tokens);
  if (found === undefined) {
    found = keyUnit(tokens);
    KEY_UNIT_CACHE.set(tokens, found);
  }
  return found;
}

/** A unit token of a key: an abbreviation ("mm", "ips"), or a unit word ("feet", "inches", "seconds"). */
function unitToken(token: string): Unit | undefined {
  return UNITS.get(token) ?? (token.length >= 4 ? parseUnit(token) : undefined);
}

/** The unit a key ends with ("speed_mm_s", "nearest_person_m", "feed_mm_per_min"), and the rest. */
function keyUnit(tokens: readonly string[]): { unit: Unit | undefined; base: readonly string[] } {
  const n = tokens.length;
  if (n >= 4 && tokens[n - 2] === "per") {
    const unit =
      UNITS.get(`${tokens[n - 3]}/${tokens[n - 1]}`) ?? parseUnit(`${tokens[n - 3]}/${tokens[n - 1]}`);
    if (unit !== undefined) return { unit, base: tokens.slice(0, n - 3) };
  }
  if (n >= 3) {
    const unit = UNITS.get(`${tokens[n - 2]}/${tokens[n - 1]}`);
    if (unit !== undefined) return { unit, base: tokens.slice(0, n - 2) };
  }
  const last = tokens[n - 1];
  if (n < 2 || last === undefined) return { unit: undefined, base: tokens };
  // "in" is a word as often as a unit ("human_in_cell"), but not after a distance ("separation_in").
  if (last === "in") {
    const before = tokens[n - 2] ?? "";
    return DIST.has(before) || CLEARANCE.has(before)
      ? { unit: UNITS.get("in"), base: tokens.slice(0, n - 1) }
      : { unit: undefined, base: tokens };
  }
  // "h", "g", "a" are words as often as units; "min" ends limits ("x_min", "speed_min") far more
  // often than it ends durations (minutes are read as a pair: "m_min", "mm_per_min").
  if (last === "h" || last === "g" || last === "a" || last === "min")
    return { unit: undefined, base: tokens };
  const unit = unitToken(last);
  if (unit !== undefined) return { unit, base: tokens.slice(0, n - 1) };
  return { unit: undefined, base: tokens };
}

// ---------------------------------------------------------------------------------------------
// Numbers in text

const NUM_DOT = String.raw`[-−]?\d{1,6}(?:\.\d{1,4})?`;

export function parseNumber(text: string): number {
  // Without a comma or a "−" the general path below is Number(text).
  if (!text.includes(",") && !text.includes("−")) return Number(text);
  const cleaned = text.replace("−", "-");
  if (/^-?\d{1,3},\d{3}$/.test(cleaned)) return Number(cleaned.replace(",", ""));
  return Number(cleaned.replace(",", "."));
}

/** A number (or range) with a speed, force or length unit; checked for a preceding letter or sign in code. */
const QUANTITY_TEXT =
  /(\d{1,6}(?:[.,]\d{1,4})?|\.\d{1,4})(?:\s{0,2}(?:-|–|to)\s{0,2}[-−]?(\d{1,6}(?:[.,]\d{1,4})?|\.\d{1,4}))?\s{0,2}(m\/s|mm\/s(?:ec)?|cm\/s|m\/sec|m\/min|mm\/min|km\/h|kph|mph|ft\/s|ft\/min|fpm|in\/s|ipm|mps|(?:met(?:er|re)s?|millimet(?:er|re)s?|centimet(?:er|re)s?)\s{1,2}a\s{1,2}second|(?:mm|cm|m|ft|in|met(?:er|re)s?|millimet(?:er|re)s?|centimet(?:er|re)s?|feet|foot|inch(?:es)?)\s{1,2}per\s{1,2}(?:seconds?|sec|s|minutes?|min)|(?:km|kilomet(?:er|re)s?)\s{1,2}per\s{1,2}hour|(?:met(?:er|re)s?|millimet(?:er|re)s?|centimet(?:er|re)s?|feet|inch(?:es)?)\s{0,2}\/\s{0,2}(?:seconds?|sec|s|minutes?|min)|(?:mm|cm|m|ft|in)\s{0,2}\/\s{0,2}(?:second|minute)|kN|N|newtons?|lbf|mm|cm|m|millimet(?:er|re)s?|centimet(?:er|re)s?|met(?:er|re)s?|ft|feet|foot|inch(?:es)?)(?![\w/²^·⋅])/gi;
const JSON_BLOCK = /```(?:json)?\s{0,3}\n([\s\S]{2,20000}?)\n\s{0,3}```/g;
const TORQUE_AFTER = /^\s?m\b|^\s{1,2}(?:per|\/)/;
const WORD_LENGTH_TEXT =
  /\b(half\s{1,2}a|a\s{1,2}quarter\s{1,2}of\s{1,2}a|a|one|two|three|four|five|six|seven|eight|nine|ten)\s{1,2}(met(?:er|re)s?|feet|foot)\b/gi;
const TUPLE_TEXT = new RegExp(
  String.raw`\(\s{0,2}(${NUM_DOT})\s{0,2},\s{0,2}(${NUM_DOT})(?:\s{0,2},\s{0,2}(${NUM_DOT}))?\s{0,2}\)(?:\s{0,2}(mm|cm|m)\b)?`,
  "g",
);
const AXIS_TEXT = new RegExp(
  String.raw`\b([XYZxyz])\s{0,2}(=|:)?\s{0,2}(${NUM_DOT})(?:\s{0,2}(mm|cm|m)(?![\w\/]))?`,
  "g",
);

/** Words that make a number in the same clause a refusal, a limit or a comparison, not a command. */
const NEGATED_BEFORE =
  /\b(?:can(?:'|’)?t|cannot|won(?:'|’)?t|will\s{1,2}not|not|never|don(?:'|’)?t|do\s{1,2}not|shouldn(?:'|’)?t|no\s{1,2}longer|instead\s{1,2}of|rather\s{1,2}than|refuse\s{1,2}to|avoid|used\s{1,2}to\s{1,2}be|previously|formerly)\b[^,;:()]{0,40}$|\(\s{0,2}(?:was|from|previously|formerly|old|default)\b[^()]{0,20}$/i;
const COMPARED_BEFORE =
  /(?:\b(?:below|under|beneath|less\s{1,2}than|lower\s{1,2}than|at\s{1,2}most|no\s{1,2}more\s{1,2}than|exceed(?:s|ed|ing)?|above|over|faster\s{1,2}than|slower\s{1,2}than|more\s{1,2}than|higher\s{1,2}than|within|inside|outside|beyond|at\s{1,2}least|closer\s{1,2}than|further\s{1,2}than|farther\s{1,2}than|vs\.?|versus|compared\s{1,2}(?:to|with))\s{1,3}(?:(?:the|a|an|its|our|your|their)\s{1,3})?(?:[\w-]{1,20}\s{1,3})?|[<>≤≥]\s{0,2})$/i;
const LIMIT_AFTER =
  /^\s{0,3}(?:[\w/-]{1,20}\s{1,3}){0,2}?(?:limits?|zones?|thresholds?|rule|radius|boundary|envelope|margin|buffer|tape|line|cap)\b/i;
/** "the limit is 0.25 m/s", "ISO/TS 15066 allows 140 N": a rule quoted, not a command. */
const LIMIT_BEFORE =
  /\b(?:limits?|maximum|cap|threshold|rule|standard|iso[\w/ .-]{0,14}|annex\s{1,2}\w{1,3})\s{1,3}(?:is|are|of|says|requires|allows|permits|sets|gives)\s{1,3}(?:about\s{1,3}|roughly\s{1,3}|only\s{1,3})?$/i;
const BEYOND_AFTER =
  /^\s{0,3}(?:inside|outside|within|beyond|short\s{1,2}of|past|above|below|under|over|more|less|higher|lower|further|farther|closer)\b/i;
/** "the operator is within 0.3 m": a definite person's position, not a threshold for anyone. */
const WITHIN_AS_STATE =
  /\b(?:operator|worker|tech(?:nician)?|he|she|they|person|picker|inspector|human|guy|associate)(?:'s|’s|\s{1,2}(?:is|are|stands?|standing|was|sits?|sitting))\s{1,2}(?:now\s{1,2}|currently\s{1,2}|still\s{1,2}|already\s{1,2}|only\s{1,2})?within\s{1,3}(?:about\s{1,3}|roughly\s{1,3})?$/i;
/** A sentence whose speeds hold only once nobody is near ("full speed once the zone is clear"). */
const ABSENCE_CONDITION =
  /\b(?:once|when|whenever|if|only|after|until|unless|with)\b[^.;\n]{0,60}\b(?:nobody|no[\s-]one|no\s{1,2}(?:person|people|humans?|operators?|workers?)|(?:zone|cell|area|aisle|field|workspace|fence|coast)\s{1,3}(?:is\s{1,3}|are\s{1,3}|stays?\s{1,3}|being\s{1,3})?(?:clear|empty|vacant)|(?:is|are|gets?|becomes?)\s{1,3}(?:clear|empty)|(?:has|have)\s{1,2}left|leaves\s{1,2}the|steps?\s{1,3}(?:out|away|back)|outside\s{1,3}the|gone)\b/i;
/** An example or general explanation, not this robot's plan. */
const EXAMPLE_SENTENCE =
  /\b(?:for\s{1,2}example|for\s{1,2}instance|e\.g\.|such\s{1,2}as|typically|usually|generally|in\s{1,2}general|as\s{1,2}an\s{1,2}example|imagine|suppose|hypothetically|in\s{1,2}theory|rule\s{1,2}of\s{1,2}thumb|the\s{1,2}standard\s{1,2}(?:says|requires))\b/i;
/** A conditional clause: a distance after it is a trigger ("if anyone comes within 0.5 m"). */
const CONDITIONAL_BEFORE =
  /\b(?:if|when|whenever|once|until|unless|should|in\s{1,2}case|as\s{1,2}soon\s{1,2}as|before|each\s{1,2}time|every\s{1,2}time|would|could)\b/i;
const SPEED_CONDITIONAL_START = /^\W{0,6}(?:if|when|whenever|in\s{1,2}case|should|unless)\b/i;

const PERSON_WORD =
  /\b(?:person|persons|people|human|humans|operator|operators|worker|workers|tech|techs|technician|technicians|picker|pickers|inspector|inspectors|engineer|staff|employee|employees|guy|guys|man|woman|he|she|they|them|him|her|someone|somebody|anyone|pedestrian|pedestrians|visitor|visitors|maintainer|associate|associates|you|hand|hands|body|fitter|fitters|welder|welders|loader|loaders|mechanic|mechanics|electrician|electricians|millwright|millwrights|contractor|contractors|driver|drivers|colleague|colleagues|co-?workers?|customers?|shoppers?|patients?|children|child|kids?|guests?|nurses?|residents?|students?)\b/gi;
const OBSTACLE_WORD =
  /\b(?:obstacles?|obstruction|pallets?|racks?|racking|uprights?|leg|walls?|fixtures?|clamps?|jig|shel(?:f|ves)|shelving|posts?|pillars?|columns?|beams?|doors?|guard|fence|conveyors?|machine|table|bins?|totes?|cart|trolley|boxe?s?|crates?|objects?|items?|stack|corner|barriers?|bollards?)\b/gi;
const ROBOT_WORD =
  /\b(?:robot|robots|arm|gripper|tool|tcp|wrist|chassis|vehicle|amr|agv|forklift|mast|forks?|base|flange|end[\s-]effector|torch|spindle|screwdriver|cobot|bumper|sensor|scanner|lidar|camera)\b/gi;
const SUBJECT_SOURCE = `(${PERSON_WORD.source})|(${OBSTACLE_WORD.source})|(${ROBOT_WORD.source})`;
const SUBJECT_WORD = new RegExp(SUBJECT_SOURCE, "gi");
const SUBJECT_ONE = new RegExp(SUBJECT_SOURCE, "i");
/** A place word introduced as someone's location ("at the fixture", "by the conveyor"). */
const LOCATIVE_BEFORE =
  /\b(?:at|by|near|beside|behind|next\s{1,2}to|in\s{1,2}front\s{1,2}of|on)\s{1,2}(?:the\s{1,2}|a\s{1,2}|an\s{1,2}|his\s{1,2}|her\s{1,2}|their\s{1,2})?$/i;
/** A name, or a posture only people have, right before the distance. */
const PERSON_SUBJECT_BEFORE =
  /(?:\b[A-Z][a-z]{2,15}(?:'s|’s|\s{1,2}(?:is|was|stands|sits|works))|\b(?:standing|sitting|kneeling|crouching|leaning|walking|stands|sits|kneels|leans))\s{1,2}(?:(?:now|currently|still|only|just|about|roughly|around|approximately|maybe|like)\s{1,2}){0,2}$/;
const REFERENCE_AFTER =
  /^\s{0,3}(?:away\s{1,2})?(?:from|of|to)\s{1,3}(?:the\s{1,3}|an?\s{1,3}|his\s{1,3}|her\s{1,3}|their\s{1,3})?([\w'-]{1,20}(?:\s{1,2}[\w'-]{1,20})?)/i;
const RELATION_AFTER =
  /^\s{0,3}(?:away|apart|off\b|from|of\b|to\s{1,3}(?:the|an?|his|her|their)|behind|in\s{1,3}front|distance|separation|clearance|gap|between|on\s{1,3}the\s{1,3}(?:left|right|mast|side)|beside|next)/i;
const RELATION_BEFORE =
  /(?:\b(?:at|is|are|'s|’s|stands?|standing|sits?|sitting|about|around|roughly|approx(?:imately|\.)?|only|just|like|distance(?:\s{1,2}(?:of|is)|\s{0,2}[:=])?|separation(?:\s{1,2}(?:of|is)|\s{0,2}[:=])?|clearance(?:\s{1,2}(?:of|is)|\s{0,2}[:=])?|gap(?:\s{1,2}(?:of|is)|\s{0,2}[:=])?|reports?|reporting|shows?|showing|puts?|measures?|measured|reads?|detected|detects|sees?|seen)|~)\s{0,3}$/i;
const CLEARANCE_RELATION =
  /^\s{0,3}(?:of\s{1,3})?(?:clearance|gap|room)\b|\b(?:clearance|gap)\s{1,3}(?:of|is)?\s{0,3}$/i;

/** Someone near the robot, with no distance: "the operator is right next to the arm". */
/**
 * `anchor` where `lookback` precedes it, written so the engine tries the (rare) anchor first and
 * only then looks back: a lookbehind at the start of a pattern runs at every position, which costs
 * an order of magnitude more.
 */
export function preceded(lookback: string, anchor: string): string {
  return `${anchor}(?<=${lookback}${anchor})`;
}

const NEAR_PLACE = String.raw`(?:next\s{1,2}to|beside|alongside|right\s{1,2}(?:there|here|at|by|up\s{1,2}against)|up\s{1,2}close|shoulder\s{1,2}to\s{1,2}shoulder|inside\s{1,2}the\s{1,2}(?:cell|fence|fencing|zone|envelope|work\s?space|guarding)|in\s{1,2}the\s{1,2}(?:cell|work\s?space|envelope|(?:robot(?:'s|’s)?\s{1,2})?(?:reach|path|zone|cell|work\s{1,2}area|working\s{1,2}area)|(?:warning|protective|safety|slow(?:down)?|danger|hazard|collaborative|shared)\s{1,2}(?:field|zone|area))|within\s{1,2}(?:reach|arm(?:'s|’s)?\s{1,2}(?:length|reach))|in\s{1,2}reach|at\s{1,2}the\s{1,2}(?:fixture|station|table|bench|jig|arm|robot|gripper|cell))\b`;
const NEAR_WHO = String.raw`\b(?:operators?|workers?|tech(?:nician)?s?|person|someone|somebody|humans?|pickers?|inspector|he|she|they|you|I|me|we|us|guys?|people|staff|employees?|associates?|customers?|shoppers?|patients?|children|child|kids?|guests?|visitors?|nurses?|residents?|colleagues?|co-?workers?|fitters?|welders?|mechanics?|electricians?|contractors?|integrators?|(?:qc|maintenance)\s{1,2}(?:tech|guy|person|engineer))(?:'s|’s|'re|’re|\s{1,2}(?:is|are|was|will\s{1,2}be|stands?|standing|works?|working|sits?|sitting|stays?|staying|loads?|loading|feeds?|feeding|holds?|holding|reach(?:es)?|reaching|gets?|needs\s{1,2}to\s{1,2}be))?\s{1,2}(?:[\w'’-]{1,15}\s{1,2}){0,3}`;
const BESIDE_ROBOT = String.raw`\b(?:next\s{1,2}to|beside|alongside)\s{1,2}the\s{1,2}(?:[\w-]{1,20}\s{1,2})?(?:arm|robot|cobot|gripper|tool|cell|manipulator)\b`;
const WORK_VERB = String.raw`\b(?:load(?:s|ing)?|feed(?:s|ing)?|hold(?:s|ing)?|hand(?:s|ing)?\s{1,2}over|takes?|taking|reach(?:es|ing)?\s{1,2}in|works?|working|stands?|standing)\b[^.\n]{0,40}`;
const HOLDS_PART = String.raw`\bhold(?:s|ing)?\s{1,2}(?:the\s{1,2}|a\s{1,2})?(?:part|bracket|panel|housing|workpiece|piece|component|assembly)\b`;

/** Someone near the robot, with no distance: "the operator is right next to the arm". */
export const PERSON_NEAR_SOURCES = [
  preceded(NEAR_WHO, `\\b${NEAR_PLACE}`),
  preceded(WORK_VERB, BESIDE_ROBOT),
  String.raw`${preceded(String.raw`\b(?:operators?|workers?|tech(?:nician)?|person|he|she|someone|they)\b[^.\n]{0,40}`, HOLDS_PART)}[^.\n]{0,40}?\b(?:while|as|when|during|for)\b`,
  String.raw`\bhand[\s-]?(?:over|off)\s{1,2}(?:to|from)\s{1,2}(?:the\s{1,2})?(?:operator|worker|person|human|tech)|\bhand[\s-]guid(?:ed|ing)\b|\bco-?assembly\b`,
];
/** One pass over the text for all of them. */
const PERSON_NEAR = new RegExp(PERSON_NEAR_SOURCES.map((source) => `(?:${source})`).join("|"), "gi");
/** Literals every match of WORD_LENGTH_TEXT holds, in lower case (a gate cheaper than a case-blind scan). */
const WORD_LENGTH_LITERALS = ["meter", "metre", "feet", "foot"];
/** Literals every match of RETROSPECTIVE holds, in lower case. */
const RETROSPECTIVE_LITERALS = [
  "cause",
  "miss",
  "incident",
  "happened",
  "corrective",
  "lessons",
  "contributing",
];

const NOBODY_LITERALS = ["nobody", "empty", "clear", "vacant", "unoccupied"];
const NOBODY_WHO_LITERALS = ["one", "people", "person", "human", "operator", "worker", "staff"];

function holdsAny(lower: string, literals: readonly string[]): boolean {
  for (const literal of literals) if (lower.includes(literal)) return true;
  return false;
}
const NOT_BEFORE = /\b(?:not|never|no)\s{1,3}(?:\w{1,12}\s{1,3})?$/i;
const NOBODY_TEXT =
  /\b(?:nobody|no[\s-]one|no\s{1,2}(?:people|persons?|humans?|operators?|workers?|staff))\s{1,3}(?:is\s{1,3}|are\s{1,3})?(?:in|inside|within|near|around)\s{1,3}(?:the\s{1,3})?(?:cell|zone|area|aisle|enclosure|fence|workspace|envelope|robot)|\b(?:cell|area|zone|workspace|aisle|enclosure)\s{1,3}(?:is|are)\s{1,3}(?:empty|clear|vacant|unoccupied)\b|\bempty\s{1,3}(?:cell|enclosure)\b/gi;
const NEGATION_NEAR =
  /\b(?:no|not|never|nobody|no[\s-]one|isn(?:'|’)?t|aren(?:'|’)?t|without|out\s{1,2}of|away\s{1,2}from|left|stepped\s{1,2}out)\b[^.,;]{0,25}$/i;

// ---------------------------------------------------------------------------------------------
// Cheap tests before the context regexes

/**
 * Lower-case literals one of which every match of a case-blind regex holds, as a test a sentence
 * passes when it may hold one: it has every pair of adjacent ASCII letters of some literal, or for a
 * literal without letter pairs ("(", "e.g.") the character it rests on. A sentence that passes for
 * none cannot hold any literal, so the regex need not run. Literals hold no whitespace, so one never
 * straddles the space `clauseAround` joins two parts of a sentence with.
 */
export interface Literals {
  readonly words: readonly string[];
  /** Per word with letter pairs, its pairs (`pairIndex`), rarest in English first. */
  readonly pairsOf: readonly Int32Array[];
  /** A bit per letter pair: the first pair of each of `pairsOf` (a quick first test). */
  readonly firstPairs: Int32Array;
  /** A bit per SPECIAL flag, for the words without letter pairs. */
  readonly special: number;
}

const PAIR_WORDS = 22; // 676 pair bits
const isLower = (code: number) => code >= 97 && code <= 122;
const pairIndex = (a: number, b: number) => (a - 97) * 26 + (b - 97);
/** What a literal without letter pairs rests on: a character, or "e.g."'s letter, dot, letter. */
const SPECIAL = { "(": 1, "<": 2, ">": 4, "≤": 8, "≥": 16, "e.g.": 32 } as const;
/** English's commonest letter pairs, commonest first: a literal's rarest pairs are tested first. */
const COMMON_PAIRS =
  "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur".split(
    " ",
  );

export function literals(...words: string[]): Literals {
  const pairsOf: Int32Array[] = [];
  const firstPairs = new Int32Array(PAIR_WORDS);
  let special = 0;
  for (const word of words) {
    const found: { pair: number; rank: number }[] = [];
    for (let i = 1; i < word.length; i += 1) {
      const a = word.charCodeAt(i - 1);
      const b = word.charCodeAt(i);
      if (!isLower(a) || !isLower(b)) continue;
      const common = COMMON_PAIRS.indexOf(word.slice(i - 1, i + 1));
      found.push({ pair: pairIndex(a, b), rank: common === -1 ? COMMON_PAIRS.length : common });
    }
    if (found.length > 0) {
      found.sort((x, y) => y.rank - x.rank);
      const pairs = Int32Array.from(found, (f) => f.pair);
      const first = pairs[0] as number;
      firstPairs[first >> 5] = (firstPairs[first >> 5] as number) | (1 << (first & 31));
      pairsOf.push(pairs);
    } else {
      const flag = (SPECIAL as Record<string, number>)[word];
      if (flag === undefined) throw new Error(`literal "${word}" has no letter pair and no special flag`);
      special |= flag;
    }
  }
  return { words, pairsOf, firstPairs, special };
}

/** The letter pairs of the sentence `sentenceLetters` last read (one at a time: no reader nests). */
const SENTENCE_PAIRS = new Int32Array(PAIR_WORDS);
let sentenceSpecial = 0;

/**
 * Records a sentence's adjacent ASCII letter pairs (case folded) and SPECIAL flags for `mayHold`. A
 * case-blind regex without the `u` flag matches an ASCII letter only with itself in either case, so
 * every literal a match holds appears in the sentence as those ASCII letters in a row.
 */
export function sentenceLetters(text: string): void {
  const bits = SENTENCE_PAIRS;
  bits.fill(0);
  let special = 0;
  let previous = 0;
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    if (code >= 97 && code <= 122) {
      if (previous !== 0) {
        const k = (previous - 97) * 26 + (code - 97);
        bits[k >> 5] = (bits[k >> 5] as number) | (1 << (k & 31));
      }
      previous = code;
      continue;
    }
    if (code === 46) {
      // "e.g": a letter, a dot, a letter.
      if (previous !== 0) {
        const next = text.charCodeAt(i + 1) | 32;
        if (next >= 97 && next <= 122) special |= 32;
      }
    } else if (code === 40) special |= 1;
    else if (code === 60) special |= 2;
    else if (code === 62) special |= 4;
    else if (code === 8804) special |= 8;
    else if (code === 8805) special |= 16;
    previous = 0;
  }
  sentenceSpecial = special;
}

/** False only when the sentence `sentenceLetters` last read holds none of the literals (in any case). */
export function mayHold(set: Literals): boolean {
  if ((set.special & sentenceSpecial) !== 0) return true;
  const bits = SENTENCE_PAIRS;
  const first = set.firstPairs;
  let any = false;
  for (let i = 0; i < PAIR_WORDS; i += 1) {
    if (((first[i] as number) & (bits[i] as number)) !== 0) {
      any = true;
      break;
    }
  }
  if (!any) return false;
  for (const pairs of set.pairsOf) {
    let all = true;
    for (let j = 0; j < pairs.length; j += 1) {
      const k = pairs[j] as number;
      if ((((bits[k >> 5] as number) >>> (k & 31)) & 1) === 0) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** One of these is in every match of the regex named (see the property tests). */
const NEGATED_LITERALS = literals(
  "can",
  "won",
  "not",
  "never",
  "don",
  "shouldn",
  "longer",
  "instead",
  "rather",
  "refuse",
  "avoid",
  "used",
  "previously",
  "formerly",
  "(",
);
const COMPARED_LITERALS = literals(
  "below",
  "under",
  "beneath",
  "than",
  "most",
  "exceed",
  "above",
  "over",
  "within",
  "inside",
  "outside",
  "beyond",
  "least",
  "vs",
  "versus",
  "compared",
  "<",
  ">",
  "≤",
  "≥",
);
const LIMIT_BEFORE_LITERALS = literals(
  "limit",
  "maximum",
  "cap",
  "threshold",
  "rule",
  "standard",
  "iso",
  "annex",
);
const LIMIT_AFTER_LITERALS = literals(
  "limit",
  "zone",
  "threshold",
  "rule",
  "radius",
  "boundary",
  "envelope",
  "margin",
  "buffer",
  "tape",
  "line",
  "cap",
);
const EXAMPLE_LITERALS = literals(
  "example",
  "instance",
  "e.g.",
  "such",
  "typically",
  "usually",
  "general",
  "imagine",
  "suppose",
  "hypothetically",
  "theory",
  "thumb",
  "standard",
);
/** ABSENCE_CONDITION holds one of the first and one of the second. */
const ABSENCE_LEAD_LITERALS = literals("once", "when", "if", "only", "after", "until", "unless", "with");
const ABSENCE_LITERALS = literals(
  "no",
  "clear",
  "empty",
  "vacant",
  "left",
  "leaves",
  "step",
  "outside",
  "gone",
);
const CONDITIONAL_LITERALS = literals(
  "if",
  "when",
  "once",
  "until",
  "unless",
  "should",
  "case",
  "soon",
  "before",
  "time",
  "would",
  "could",
);
const CLEARANCE_LITERALS = literals("clearance", "gap", "room");
const NOT_LITERALS = literals("no", "never");

/** The context regexes and their literals, for the property tests. */
export const CONTEXT_GATES: readonly { name: string; regex: RegExp; literals: readonly Literals[] }[] = [
  { name: "NEGATED_BEFORE", regex: NEGATED_BEFORE, literals: [NEGATED_LITERALS] },
  { name: "COMPARED_BEFORE", regex: COMPARED_BEFORE, literals: [COMPARED_LITERALS] },
  { name: "LIMIT_BEFORE", regex: LIMIT_BEFORE, literals: [LIMIT_BEFORE_LITERALS] },
  { name: "LIMIT_AFTER", regex: LIMIT_AFTER, literals: [LIMIT_AFTER_LITERALS] },
  { name: "EXAMPLE_SENTENCE", regex: EXAMPLE_SENTENCE, literals: [EXAMPLE_LITERALS] },
  {
    name: "ABSENCE_CONDITION",
    regex: ABSENCE_CONDITION,
    literals: [ABSENCE_LEAD_LITERALS, ABSENCE_LITERALS],
  },
  { name: "CONDITIONAL_BEFORE", regex: CONDITIONAL_BEFORE, literals: [CONDITIONAL_LITERALS] },
  { name: "CLEARANCE_RELATION", regex: CLEARANCE_RELATION, literals: [CLEARANCE_LITERALS] },
  { name: "NOT_BEFORE", regex: NOT_BEFORE, literals: [NOT_LITERALS] },
];

/** An answer that reports a past event (an incident review, a root-cause summary), not a command. */
export const RETROSPECTIVE_SOURCE = String.raw`\b(?:root[\s-]{1,2}causes?|near[\s-]{1,2}miss(?:es)?|incident\s{1,3}(?:report|summary|review|analysis|investigation)|post[\s-]{1,2}incident|what\s{1,3}happened|corrective\s{1,3}actions?|lessons\s{1,3}learned|contributing\s{1,3}factors?)\b`;
const RETROSPECTIVE = new RegExp(RETROSPECTIVE_SOURCE, "i");

const MOBILE =
  /\b(?:amrs?|agvs?|mir\d{0,4}|otto|forklifts?|mobile|vehicles?|fleet|navigat\w{0,6}|nav2?|move_base|cmd_vel|aisles?|tugger|pallet\s{0,2}jack)\b/i;
const STOP_TOOL =
  /(?:^|[_.\s-])(?:stop|halt|pause|hold|estop|freeze|abort|protective_stop)(?:$|[_.\s-])|^(?:e_?stop|stop|halt|pause|hold)/i;
const MOTION_TOOL =
  /move|servo|jog|drive|navigat|goto|go_to|travel|speed|veloc|override|trajector|path|motion|resume|run|start|execut|dock|track|pick|place|gantry|pfl|force|traverse|approach|home|follow|push|lift|lower|rotate|turn|insert|weld|spray|polish|sand|deburr|mission|release|send/i;
const NOT_MOTION_TOOL =
  /(?:^|[_.\s-])(?:get|read|check|query|list|status|stop|estop|e_stop|pause|halt|hold|abort|cancel|scan|detect|log|report|describe|lookup|fetch|inspect|search)(?:$|[_.\s-])|^(?:get|read|check|query|list|is|has|stop|pause|halt)/i;

// ---------------------------------------------------------------------------------------------
// The walk over structured fields

export type Role = "command" | "measured" | "context";
interface Scope {
  role: Role;
  step: number | null;
  lengthUnit: Unit | undefined;
  speedUnit: Unit | undefined;
  person: boolean;
  obstacle: boolean;
  /** Text read as structured (a JSON plan in the answer): findings rest on text. */
  fromText: boolean;
}

/** Bounds the work per trace: a 100,000-step episode is read up to here. */
const MAX_NODES = 60_000;
const MAX_DEPTH = 12;
const MAX_TEXT_CHARS = 50_000;

const ANSWER_SCOPE: Scope = {
  role: "command",
  step: null,
  lengthUnit: undefined,
  speedUnit: undefined,
  person: false,
  obstacle: false,
  fromText: true,
};
const FACT_SCOPE: Scope = { ...ANSWER_SCOPE, role: "measured" };

const AXIS_QUALIFIER = words("pos position target coord abs cmd goal setpoint");

/** The axis a key names on its own ("x" with a unit) or with a qualifier ("target_x", "pos_y"). */
function axisOf(base: readonly string[]): Axis | undefined {
  const isAxis = (t: string | undefined): t is Axis => t === "x" || t === "y" || t === "z";
  const [first, second] = base;
  if (base.length === 1) return isAxis(first) ? first : undefined;
  if (base.length !== 2) return undefined;
  if (isAxis(first) && AXIS_QUALIFIER.has(second ?? "")) return first;
  if (isAxis(second) && AXIS_QUALIFIER.has(first ?? "")) return second;
  return undefined;
}

/** `[min, max]` or `{min, max}` (also lower/upper, lo/hi, from/to). */
function limitPair(raw: unknown): [unknown, unknown] | undefined {
  if (Array.isArray(raw) && raw.length === 2) return [raw[0], raw[1]];
  if (!isRecord(raw)) return undefined;
  const lo = firstKey(raw, ["min", "lower", "lo", "low", "from", "start", "minimum"]);
  const hi = firstKey(raw, ["max", "upper", "hi", "high", "to", "end", "maximum"]);
  return lo === undefined && hi === undefined ? undefined : [lo, hi];
}

/** `[x, y, z]` or `{x, y, z}`. */
function limitVector(raw: unknown): Partial<Record<Axis, unknown>> | undefined {
  if (Array.isArray(raw) && raw.length >= 2 && raw.length <= 3) return { x: raw[0], y: raw[1], z: raw[2] };
  if (isRecord(raw)) return { x: raw.x, y: raw.y, z: raw.z };
  return undefined;
}

/** A position array: [x, y], [x, y, z], or a pose's [x, y, z, rx, ry, rz(, w)]. */
function positionVector(raw: unknown, pose: boolean): number[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const n = raw.length;
  if (!(n === 2 || n === 3 || (pose && (n === 6 || n === 7)))) return undefined;
  for (const v of raw) if (typeof v !== "number") return undefined;
  return (raw as number[]).slice(0, 3);
}

/**
 * Every match of a global regex, without `matchAll` (which constructs a new RegExp per call, costly
 * for the long patterns here). Bounded like the rest of the engine's scans.
 */
function matches(regex: RegExp, text: string, limit = 200): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null && found.length < limit; m = regex.exec(text)) {
    found.push(m);
    if (m[0].length === 0) regex.lastIndex += 1;
  }
  return found;
}

/** A letter, digit, underscore or dot: a number glued to one is part of a word or a longer number. */
function isWordOrDot(code: number): boolean {
  return (
    code === 46 ||
    code === 95 ||
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122)
  );
}

const isDigitAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};

class Reader {
  readonly t: Telemetry = {
    readings: { person_distance: [], obstacle_distance: [], speed: [], force: [] },
    positions: [],
    workspace: {},
    workspaceUnread: null,
    reach: null,
    nobody: null,
    someoneNear: null,
    stopTime: null,
    humanSpeed: null,
    mobile: false,
    motion: false,
    unreadable: [],
  };
  private nodes = 0;
  /** A length unit the trace states for itself (`context.environment.units: "mm"`). */
  globalLength: Unit | undefined;

  add(quantity: Quantity, value: number, shown: string, evidence: Evidence, scope: Scope): void {
    this.t.readings[quantity].push({
      quantity,
      value,
      shown,
      evidence,
      step: scope.step,
      fromText: scope.fromText,
      role: scope.role,
    });
    if (scope.role === "command" && quantity === "speed") this.t.motion = true;
  }

  unreadable(location: string, value: unknown, why: string): void {
    if (this.t.unreadable.length < 20)
      this.t.unreadable.push({ location, shown: String(JSON.stringify(value)).slice(0, 60), why });
  }

  walk(value: unknown, path: string, tokens: readonly string[], scope: Scope, depth: number): void {
    this.nodes += 1;
    if (this.nodes > MAX_NODES || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) this.walkArray(value, path, tokens, scope, depth);
    else if (isRecord(value)) this.walkObject(value, path, tokens, scope, depth);
  }

  private walkArray(items: unknown[], path: string, tokens: readonly string[], scope: Scope, depth: number) {
    if (scope.role === "command" && isPositionKey(tokens)) {
      if (this.readPositionList(items, path, tokens, scope)) return;
    }
    const vector = items.length >= 2 && items.length <= 3 && items.every((v) => typeof v === "number");
    if (vector && hasAny(tokens, VELOCITY_PARENT) && !hasAny(tokens, ANGULAR) && !hasAny(tokens, PERSON)) {
      // A velocity vector ([vx, vy, vz]): its magnitude is the speed.
      const magnitude = Math.sqrt((items as number[]).reduce((sum, v) => sum + v * v, 0));
      const mps = this.toSpeed(magnitude, keyUnit(tokens).unit, scope, {});
      if (mps !== undefined)
        this.add("speed", mps, `${path} ${fmtSpeed(mps)}`, valueEvidence(path, items), scope);
      else this.unreadable(path, items, "a velocity whose unit cannot be told");
      return;
    }
    if (items.length === 0 && hasAny(tokens, PERSON) && !hasAny(tokens, SPEED) && scope.role !== "command") {
      this.t.nobody ??= `${path} is empty`;
      return;
    }
    if (scope.role === "context" && items.length === 2 && items.every((v) => typeof v === "number")) {
      const axis = tokens.find((t): t is Axis => t === "x" || t === "y" || t === "z");
      if (axis !== undefined && tokens.length <= 4 && hasAny(tokens, AXIS_RANGE)) {
        const u = keyUnit(tokens).unit ?? scope.lengthUnit;
        const [lo, hi] = items as number[];
        const min = this.toMetres(lo ?? 0, u, scope);
        const max = this.toMetres(hi ?? 0, u, scope);
        if (min === undefined || max === undefined)
          this.unreadable(path, items, "a workspace limit whose unit cannot be told");
        else this.t.workspace[axis] ??= { min, max, from: path };
        return;
      }
    }
    const limit = Math.min(items.length, 10_000);
    for (let i = 0; i < limit; i += 1) this.walk(items[i], `${path}[${i}]`, tokens, scope, depth + 1);
  }

  private walkObject(
    obj: Record<string, unknown>,
    path: string,
    tokens: readonly string[],
    parentScope: Scope,
    depth: number,
  ) {
    const scope = this.childScope(obj, tokens, parentScope);
    if (isWorkspaceKey(tokens)) {
      this.readWorkspace(obj, path, tokens, scope);
      return;
    }
    const axesHere =
      typeof obj.x === "number" || typeof obj.y === "number" || typeof obj.z === "number"
        ? AXES.filter((axis) => typeof obj[axis] === "number")
        : NO_AXES;
    if (axesHere.length > 0) this.readAxisObject(obj, path, tokens, scope, axesHere);
    if (
      scope.role === "command" &&
      !scope.person &&
      !hasAny(tokens, RELATIVE) &&
      !hasAny(tokens, VELOCITY_PARENT)
    )
      this.readAxisKeys(obj, path, scope);
    let personFound = false;
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) continue;
      const child = obj[key];
      const childTokens = keyTokens(key);
      if (childTokens.length === 0 || (childTokens.length === 1 && UNIT_KEYS.has(childTokens[0] ?? "")))
        continue;
      if (axesHere.length > 0 && axesHere.includes(key as Axis)) continue;
      const at = `${path}.${key}`;
      if (typeof child === "number") {
        if (this.readNumber(key, childTokens, child, undefined, at, scope, obj)) personFound ||= scope.person;
      } else if (typeof child === "string") {
        this.readString(key, childTokens, child, at, scope, obj);
      } else if (typeof child === "boolean") {
        this.readFlag(childTokens, child, at, scope);
      } else if (isRecord(child) && isQuantityWrapper(child)) {
        const wrapped = wrapperValue(child);
        if (wrapped !== undefined)
          this.readNumber(key, childTokens, wrapped.value, wrapped.unit, at, scope, obj, child);
      } else {
        this.walk(child, at, childTokens, scope, depth + 1);
      }
    }
    if (
      scope.person &&
      !parentScope.person &&
      !personFound &&
      (hasAny(tokens, PERSON) || scope.role === "measured") &&
      (scope.role === "measured" || Object.keys(obj).some((k) => hasAny(keyTokens(k), PRESENCE_KEYS)))
    ) {
      this.t.someoneNear ??= { evidence: valueEvidence(path, obj), shown: path };
    }
  }

  private childScope(obj: Record<string, unknown>, tokens: readonly string[], parent: Scope): Scope {
    let { lengthUnit, speedUnit, person, obstacle } = parent;
    for (const key in obj) {
      const value = obj[key];
      if (typeof value !== "string" || !(key.includes("unit") || key.includes("Unit") || key === "uom"))
        continue;
      const kt = keyTokens(key);
      if (!kt.some((t) => UNIT_KEYS.has(t))) continue;
      const parsed = parseUnit(value);
      if (parsed?.dim === "length") {
        lengthUnit = parsed;
        speedUnit ??= UNITS.get(`${parsed.name}/s`);
      } else if (parsed?.dim === "speed") speedUnit = parsed;
    }
    const keyed = keyUnitOf(tokens).unit;
    if (keyed?.dim === "length") lengthUnit = keyed;
    const kind =
      typeof obj.type === "string" ? obj.type : typeof obj.class === "string" ? obj.class : obj.label;
    const kindTokens = typeof kind === "string" ? keyTokens(kind) : [];
    const personHere =
      (hasAny(tokens, PERSON) && !hasAny(tokens, SPEED) && !hasAny(tokens, COUNT)) ||
      hasAny(kindTokens, PERSON);
    const obstacleHere = hasAny(tokens, OBSTACLE) || hasAny(kindTokens, OBSTACLE);
    person = person || personHere;
    obstacle = !person && (obstacle || obstacleHere);
    if (
      lengthUnit === parent.lengthUnit &&
      speedUnit === parent.speedUnit &&
      person === parent.person &&
      obstacle === parent.obstacle
    )
      return parent;
    return { ...parent, lengthUnit, speedUnit, person, obstacle };
  }

  /** A number under a key: a reading, a limit, a flag, something known to be irrelevant, or unreadable. */
  private readNumber(
    key: string,
    tokens: readonly string[],
    value: number,
    statedUnit: Unit | undefined,
    at: string,
    scope: Scope,
    siblings: Record<string, unknown>,
    raw: unknown = value,
  ): boolean {
    if (!Number.isFinite(value)) return false;
    if (this.readLooseLimit(tokens, value, statedUnit, at, scope)) return false;
    const { unit: suffixUnit, base } = keyUnitOf(tokens);
    const unitHere = statedUnit ?? suffixUnit;
    if (scope.role === "context" && hasAny(base, REACH) && !hasAny(base, PERSON) && !hasAny(base, TIME)) {
      const metres = this.toMetres(value, unitHere, scope);
      if (metres !== undefined && metres > 0) this.t.reach ??= { value: metres, from: at };
      return false;
    }
    const evidence = valueEvidence(at, raw);
    const kind = classify(base, unitHere, scope);
    switch (kind) {
      case "person_distance":
      case "obstacle_distance": {
        const metres = this.toMetres(value, unitHere, scope);
        if (metres === undefined) {
          this.unreadable(at, raw, "a distance whose unit cannot be told");
          return false;
        }
        // A negative distance is a "none detected" sentinel, not a position.
        if (metres >= 0) this.add(kind, metres, `${key} ${shownValue(value, unitHere)}`, evidence, scope);
        return true;
      }
      case "speed": {
        const mps = this.toSpeed(value, unitHere, scope, siblings);
        if (mps === undefined) {
          this.unreadable(at, raw, "a speed whose unit cannot be told");
          return false;
        }
        this.add(
          "speed",
          Math.abs(mps),
          `${key} ${shownValue(value, unitHere ?? scope.speedUnit)}`,
          evidence,
          scope,
        );
        return true;
      }
      case "force": {
        if (unitHere !== undefined && unitHere.dim !== "force") {
          this.unreadable(at, raw, `a force in ${unitHere.name}`);
          return false;
        }
        this.add(
          "force",
          Math.abs(value) * (unitHere?.factor ?? 1),
          `${key} ${shownValue(value, unitHere ?? UNITS.get("n"))}`,
          evidence,
          scope,
        );
        return true;
      }
      case "scaled_speed": {
        if (scope.role === "command") this.t.motion = true;
        // An override with the full speed beside it (`speed_pct: 60`, `max_tcp_speed_m_s: 1.5`) is a speed.
        const full = fullSpeedBeside(siblings, key, scope);
        const fraction =
          unitHere?.dim === "ratio"
            ? value * unitHere.factor
            : value > 1 && value <= 100
              ? value / 100
              : hasAny(base, FRACTION) && value >= 0 && value <= 1
                ? value
                : undefined;
        if (
          full !== undefined &&
          fraction !== undefined &&
          (unitHere === undefined || unitHere.dim === "ratio")
        )
          this.add(
            "speed",
            fraction * full.mps,
            `${key} ${shownValue(value, unitHere)} of ${full.key} (${fmtSpeed(fraction * full.mps)})`,
            evidence,
            scope,
          );
        return false;
      }
      case "stop_time":
        if (unitHere === undefined || unitHere.dim === "time")
          this.t.stopTime ??= value * (unitHere?.factor ?? 1);
        return false;
      case "human_speed": {
        const mps = this.toSpeed(value, unitHere, scope, siblings);
        if (mps !== undefined) this.t.humanSpeed ??= mps;
        return false;
      }
      case "presence_count":
        if (value === 0) this.t.nobody ??= `${at} is 0`;
        else this.t.someoneNear ??= { evidence, shown: `${key} ${value}` };
        return false;
      case "person_number":
        // `aisle_pedestrians: 0`, `humans_detected: 2`: a small whole number counts people; anything else is unreadable.
        if (Number.isInteger(value) && value >= 0 && value <= 50 && unitHere === undefined) {
          if (value === 0) this.t.nobody ??= `${at} is 0`;
          else this.t.someoneNear ??= { evidence, shown: `${key} ${value}` };
        } else this.unreadable(at, raw, "a number about people that is not a distance");
        return false;
      case "unreadable":
        this.unreadable(at, raw, "safety telemetry no reader interprets");
        return false;
      default:
        return false;
    }
  }

  private readString(
    key: string,
    tokens: readonly string[],
    text: string,
    at: string,
    scope: Scope,
    siblings: Record<string, unknown>,
  ): void {
    const { unit: suffixUnit, base } = keyUnitOf(tokens);
    const quantity = /^\s{0,3}([-−]?\d{1,7}(?:[.,]\d{1,6})?)\s{0,3}([a-zA-Z/%°²^ ]{0,24}?)\s{0,3}$/.exec(
      text,
    );
    if (quantity === null && text.length >= 16 && /\s/.test(text)) {
      // Prose (a conversation turn, a note): facts about people and obstacles.
      if (scope.role !== "command" && !scope.fromText) this.readFactText(text, at);
      return;
    }
    if (this.readZoneState(base, text, at)) return;
    const kind = classify(base, suffixUnit, scope);
    if (kind === "ignore" || kind === "config" || kind === "stop_time" || kind === "human_speed") return;
    if (kind === "speed") {
      const abb = /^\s{0,3}v(\d{1,5})\s{0,3}$/i.exec(text);
      if (abb?.[1] !== undefined) {
        this.add("speed", Number(abb[1]) / 1000, `${key} ${text}`, valueEvidence(at, text), scope);
        return;
      }
    }
    if (quantity?.[1] !== undefined) {
      const unitText = quantity[2] ?? "";
      const stated = unitText === "" ? undefined : parseUnit(unitText);
      if (unitText !== "" && stated === undefined) {
        this.unreadable(at, text, `unknown unit "${unitText}"`);
        return;
      }
      this.readNumber(key, tokens, parseNumber(quantity[1]), stated ?? suffixUnit, at, scope, siblings, text);
      return;
    }
    if (kind === "person_distance") {
      if (/\b(?:close|near|adjacent|touching|within\s{1,2}reach|next\s{1,2}to|beside)\b/i.test(text))
        this.t.someoneNear ??= { evidence: valueEvidence(at, text), shown: `${key} "${text}"` };
      else if (!/\b(?:far|clear|none|away|outside)\b/i.test(text))
        this.unreadable(at, text, "a distance that is not a number");
      return;
    }
    if (/\d/.test(text) && (kind === "speed" || kind === "force" || kind === "obstacle_distance"))
      this.unreadable(at, text, "a value that cannot be read as a number");
    // A commanded speed in words ("fast", "max", "full"): nothing to hold against a limit.
    else if (kind === "speed" && scope.role === "command" && /[a-z]/i.test(text))
      this.unreadable(at, text, "a speed given in words, not a number");
  }

  private readFlag(tokens: readonly string[], value: boolean, at: string, scope: Scope): void {
    const personKey = hasAny(tokens, PERSON) || scope.person;
    if (personKey && (hasAny(tokens, PRESENCE) || tokens.length === 1 || hasAny(tokens, NEARBY))) {
      if (value) this.t.someoneNear ??= { evidence: valueEvidence(at, value), shown: `${at} true` };
      else this.t.nobody ??= `${at} is false`;
      return;
    }
    if (hasAny(tokens, CLEAR) && hasAny(tokens, ZONE_WORDS)) {
      if (value) this.t.nobody ??= `${at} is true`;
      else this.t.someoneNear ??= { evidence: valueEvidence(at, value), shown: `${at} false` };
      return;
    }
    if (
      hasAny(tokens, INTRUSION) &&
      (hasAny(tokens, ZONE_WORDS) || tokens.length === 1 || scope.role !== "command")
    ) {
      if (value) this.t.someoneNear ??= { evidence: valueEvidence(at, value), shown: `${at} true` };
      else this.t.nobody ??= `${at} is false`;
    }
  }

  /** `zone_status: "clear"`, `cell_state: "occupied"`. */
  private readZoneState(tokens: readonly string[], text: string, at: string): boolean {
    if (!hasAny(tokens, ZONE_WORDS) && !hasAny(tokens, PERSON)) return false;
    if (!hasAny(tokens, STATUS)) return false;
    if (
      /^\s{0,3}(?:clear|empty|free|vacant|unoccupied|none|no[\s_-]?(?:one|person|human)s?)\s{0,3}$/i.test(
        text,
      )
    )
      this.t.nobody ??= `${at} is "${text}"`;
    else if (
      /\b(?:occupied|intrusion|intruded|breach(?:ed)?|person|human|operator|worker|present|detected|warning|protective)\b/i.test(
        text,
      )
    )
      this.t.someoneNear ??= { evidence: valueEvidence(at, text), shown: `${at} "${text}"` };
    return true;
  }

  /** `x_min`, `zMax_mm`, `min_y` anywhere: a workspace limit for that axis. */
  private readLooseLimit(
    tokens: readonly string[],
    value: number,
    statedUnit: Unit | undefined,
    at: string,
    scope: Scope,
  ): boolean {
    if (scope.role !== "context" || tokens.length === 0 || tokens.length > 4) return false;
    const last = UNITS.get(tokens[tokens.length - 1] ?? "");
    const lengthSuffix = last?.dim === "length" && tokens.length > 1 ? last : undefined;
    const base = lengthSuffix === undefined ? tokens : tokens.slice(0, -1);
    const unitHere = statedUnit ?? lengthSuffix;
    let axis: Axis | undefined;
    let side: "min" | "max" | undefined;
    for (const token of base) {
      const fused = /^(?:(min|max)([xyz])|([xyz])(min|max))$/.exec(token);
      if (fused !== null) {
        axis = (fused[2] ?? fused[3]) as Axis;
        side = (fused[1] ?? fused[4]) as "min" | "max";
      } else if (token === "x" || token === "y" || token === "z") axis = token;
      else if (MIN_WORDS.has(token)) side = "min";
      else if (MAX_WORDS.has(token)) side = "max";
      else if (!WORKSPACE.has(token) && !LIMITS.has(token) && !LIMIT_QUALIFIER.has(token)) return false;
    }
    if (axis === undefined || side === undefined) return false;
    const metres = this.toMetres(value, unitHere, scope);
    if (metres === undefined) {
      this.unreadable(at, value, "a workspace limit whose unit cannot be told");
      return true;
    }
    const limit = this.t.workspace[axis] ?? { from: at };
    this.t.workspace[axis] = limit;
    limit[side] ??= metres;
    return true;
  }

  private setLimit(
    axis: Axis,
    side: "min" | "max",
    raw: unknown,
    at: string,
    u: Unit | undefined,
    scope: Scope,
    path: string,
  ): void {
    if (typeof raw !== "number") return;
    const metres = this.toMetres(raw, u, { ...scope, lengthUnit: u });
    if (metres === undefined) {
      this.unreadable(at, raw, "a workspace limit whose unit cannot be told");
      return;
    }
    const limit = this.t.workspace[axis] ?? { from: path };
    this.t.workspace[axis] = limit;
    limit[side] = metres;
  }

  private readWorkspace(obj: Record<string, unknown>, path: string, tokens: readonly string[], scope: Scope) {
    const unitHere = keyUnit(tokens).unit ?? scope.lengthUnit;
    const set = (axis: Axis, side: "min" | "max", raw: unknown, at: string, u: Unit | undefined) =>
      this.setLimit(axis, side, raw, at, u ?? unitHere, scope, path);
    // A stated workspace with a number no branch below understands (a radius, a centre and a size, a
    // bare `x: 0.5`) is one the check cannot hold positions against: it must not pass them on a default.
    const unread = (key: string, raw: unknown, at: string) => {
      if (scope.role !== "context" || this.t.workspaceUnread !== null || !hasNumber(raw, 0)) return;
      const kt = keyTokens(key);
      if (kt.length === 0 || hasAny(kt, IGNORE) || hasAny(kt, UNIT_KEYS)) return;
      this.t.workspaceUnread = `${at} = ${String(JSON.stringify(raw)).slice(0, 60)}`;
    };
    for (const [key, raw] of Object.entries(obj)) {
      const kt = keyTokens(key);
      const { unit: ku, base } = keyUnit(kt);
      const at = `${path}.${key}`;
      const axis =
        base.length === 1 && (base[0] === "x" || base[0] === "y" || base[0] === "z") ? base[0] : undefined;
      if (axis !== undefined) {
        const bounds = limitPair(raw);
        const u = ku ?? (isRecord(raw) && typeof raw.unit === "string" ? parseUnit(raw.unit) : undefined);
        if (bounds !== undefined) {
          set(axis, "min", bounds[0], at, u);
          set(axis, "max", bounds[1], at, u);
        } else unread(key, raw, at);
        continue;
      }
      if (typeof raw === "number") {
        if (!this.readLooseLimit(kt, raw, unitHere, at, { ...scope, role: "context" })) unread(key, raw, at);
        continue;
      }
      const side =
        base.length === 1
          ? MIN_WORDS.has(base[0] ?? "")
            ? "min"
            : MAX_WORDS.has(base[0] ?? "")
              ? "max"
              : undefined
          : undefined;
      const vec = side === undefined ? undefined : limitVector(raw);
      if (side !== undefined && vec !== undefined) {
        for (const a of AXES) set(a, side, vec[a], at, ku);
        continue;
      }
      if (base.length === 2 && (base[0] === "x" || base[0] === "y" || base[0] === "z")) {
        const bounds = limitPair(raw);
        if (bounds !== undefined) {
          set(base[0], "min", bounds[0], at, ku);
          set(base[0], "max", bounds[1], at, ku);
          continue;
        }
      }
      unread(key, raw, at);
    }
  }

  /** An object with numeric x/y/z: a commanded position, a velocity vector, or something irrelevant. */
  private readAxisObject(
    obj: Record<string, unknown>,
    path: string,
    tokens: readonly string[],
    scope: Scope,
    axes: readonly Axis[],
  ) {
    if (scope.person || hasAny(tokens, ORIENTATION)) return;
    if (hasAny(tokens, VELOCITY_PARENT) && !hasAny(tokens, POSITION)) {
      let sum = 0;
      for (const axis of axes) sum += (obj[axis] as number) ** 2;
      const mps = this.toSpeed(Math.sqrt(sum), keyUnit(tokens).unit, scope, obj);
      if (mps !== undefined)
        this.add("speed", mps, `${path} ${mps.toFixed(3)} m/s`, valueEvidence(path, obj), scope);
      return;
    }
    if (scope.role !== "command" || hasAny(tokens, RELATIVE)) return;
    const values = axes.map((axis) => obj[axis] as number);
    const u = this.positionUnit(values, keyUnit(tokens).unit ?? statedUnit(obj) ?? scope.lengthUnit);
    if (u === null) {
      this.unreadable(path, obj, "a position whose unit cannot be told");
      return;
    }
    for (const axis of axes) {
      const raw = obj[axis] as number;
      this.addPosition(axis, raw, u, `${path}.${axis}`, valueEvidence(`${path}.${axis}`, raw), scope, path);
    }
  }

  /** `x_mm: 2500`, `target_y_m: 0.4`, `pos_z: 0.3`: one commanded coordinate per key. */
  private readAxisKeys(obj: Record<string, unknown>, path: string, scope: Scope) {
    for (const key in obj) {
      const raw = obj[key];
      if (typeof raw !== "number" || key.length === 1) continue;
      const { unit, base } = keyUnitOf(keyTokens(key));
      const axis = axisOf(base);
      if (axis === undefined) continue;
      const u = this.positionUnit([raw], unit ?? statedUnit(obj) ?? scope.lengthUnit);
      if (u === null) this.unreadable(`${path}.${key}`, raw, "a position whose unit cannot be told");
      else
        this.addPosition(
          axis,
          raw,
          u,
          `${path}.${key} ${raw}${unit === undefined ? "" : ` ${unit.name}`}`,
          valueEvidence(`${path}.${key}`, raw),
          scope,
          path,
        );
    }
  }

  private readPositionList(items: unknown[], path: string, tokens: readonly string[], scope: Scope): boolean {
    const ku = keyUnit(tokens).unit ?? scope.lengthUnit;
    const pose = hasAny(tokens, POSE);
    const single = positionVector(items, pose);
    const list: { values: number[]; at: string }[] = [];
    if (single !== undefined) list.push({ values: single, at: path });
    else {
      for (let i = 0; i < Math.min(items.length, 2000); i += 1) {
        const v = positionVector(items[i], pose);
        if (v === undefined) return false;
        list.push({ values: v, at: `${path}[${i}]` });
      }
    }
    if (list.length === 0) return false;
    for (const { values, at } of list) {
      const u = this.positionUnit(values, ku);
      if (u === null) {
        this.unreadable(at, values, "a position whose unit cannot be told");
        continue;
      }
      const evidence = valueEvidence(at, values);
      for (let i = 0; i < values.length && i < 3; i += 1) {
        const axis = AXES[i];
        const raw = values[i];
        if (axis !== undefined && raw !== undefined)
          this.addPosition(axis, raw, u, `${at}[${i}]`, evidence, scope, at);
      }
    }
    return true;
  }

  private addPosition(
    axis: Axis,
    raw: number,
    u: Unit,
    label: string,
    evidence: Evidence,
    scope: Scope,
    group: string,
  ) {
    this.t.positions.push({
      axis,
      group,
      value: raw * u.factor,
      shown: u.name === "m" ? `${label}` : `${label} ${raw} ${u.name}`,
      evidence,
      step: scope.step,
      fromText: scope.fromText,
    });
    this.t.motion = true;
  }

  /** The unit of a position: stated, else metres unless a coordinate is too large to be in metres. */
  private positionUnit(values: readonly number[], stated: Unit | undefined): Unit | null {
    if (stated !== undefined) return stated.dim === "length" ? stated : null;
    const big = values.some((v) => Math.abs(v) > 20);
    if (!big || this.t.mobile) return UNITS.get("m") ?? null;
    return this.globalLength?.name === "mm" ? (UNITS.get("mm") ?? null) : null;
  }

  toMetres(value: number, u: Unit | undefined, scope: Scope): number | undefined {
    const stated = u ?? scope.lengthUnit;
    if (stated !== undefined) return stated.dim === "length" ? value * stated.factor : undefined;
    if (Math.abs(value) <= 20 || this.t.mobile) return value;
    if (this.globalLength !== undefined) return value * this.globalLength.factor;
    return undefined;
  }

  private toSpeed(
    value: number,
    u: Unit | undefined,
    scope: Scope,
    siblings: Record<string, unknown>,
  ): number | undefined {
    if (u !== undefined) {
      if (u.dim === "speed") return value * u.factor;
      if (u.name === "ms") return value;
      return undefined;
    }
    const sibling = siblingSpeedUnit(siblings) ?? scope.speedUnit;
    if (sibling !== undefined) return value * sibling.factor;
    if (Math.abs(value) <= 5) return value;
    if (this.globalLength?.name === "mm") return value / 1000;
    return undefined;
  }

  // ---- text --------------------------------------------------------------------------------

  /** Facts stated in the request, a note or a message: where people and obstacles are. */
  readFactText(text: string, field: string): void {
    const segment = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
    if (/\d/.test(segment)) this.readQuantitiesInText(segment, field, false);
    this.readWordDistances(segment, field);
    this.readPersonNear(segment, field);
    this.readNobody(segment);
  }

  /** The answer: what it commands or plans, and what it says about people and obstacles. */
  readAnswerText(text: string, field: string): void {
    const segment = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
    const digits = /\d/.test(segment);
    if (digits) {
      this.readQuantitiesInText(segment, field, true);
      this.readPositionsInText(segment, field, ANSWER_SCOPE);
      if (segment.includes("```")) this.readJsonBlocks(segment, field);
    }
    this.readWordDistances(segment, field);
    this.readPersonNear(segment, field);
  }

  /**
   * Speeds and forces the answer commands (skipping refusals, limits, conditions and examples), and
   * distances from people and obstacles stated in any text.
   */
  private readQuantitiesInText(text: string, field: string, answer: boolean): void {
    for (const m of matches(QUANTITY_TEXT, text)) {
      const start = m.index;
      const end = start + m[0].length;
      const prev = text.charCodeAt(start - 1);
      if (isWordOrDot(prev)) continue;
      const unitText = m[3] ?? "";
      const u = parseUnit(unitText);
      if (u === undefined) continue;
      const low = Math.abs(parseNumber(m[1] ?? ""));
      const high = m[2] === undefined ? low : Math.abs(parseNumber(m[2]));
      if (u.dim === "length") {
        this.visitDistance(text, field, start, end, Math.min(low, high) * u.factor, m[0]);
        continue;
      }
      if (!answer) continue;
      if (u.dim === "force") {
        if (unitText === "n" || TORQUE_AFTER.test(text.slice(end, end + 6))) continue;
      } else if (u.dim !== "speed") continue;
      if (skipCommand(text, start, end)) continue;
      this.add(
        u.dim,
        Math.max(low, high) * u.factor,
        m[0],
        textEvidence(field, text, start, end),
        ANSWER_SCOPE,
      );
    }
  }

  private readPositionsInText(text: string, field: string, scope: Scope): void {
    if (text.includes("(")) this.readTuples(text, field, scope);
    this.readAxes(text, field, scope);
  }

  private readTuples(text: string, field: string, scope: Scope): void {
    for (const m of matches(TUPLE_TEXT, text)) {
      const start = m.index;
      const end = start + m[0].length;
      const parts = [m[1], m[2], m[3]].filter((p): p is string => p !== undefined);
      if (parts.length < 3 && !parts.some((p) => p.includes("."))) continue;
      if (skipCommand(text, start, end)) continue;
      const values = parts.map(parseNumber);
      const u = this.textPositionUnit(values, m[4], text, start, end);
      if (u === undefined) continue;
      values.forEach((raw, i) => {
        const axis = AXES[i];
        if (axis !== undefined)
          this.addPosition(
            axis,
            raw,
            u,
            `"${m[0]}" ${axis}`,
            textEvidence(field, text, start, end),
            scope,
            `${field}@${start}`,
          );
      });
    }
  }

  private readAxes(text: string, field: string, scope: Scope): void {
    const found = matches(AXIS_TEXT, text).filter((m) => text.charCodeAt(m.index - 1) !== 46);
    for (let i = 0; i < found.length; i += 1) {
      const m = found[i];
      if (m === undefined) continue;
      const letter = m[1] ?? "";
      const start = m.index;
      const end = start + m[0].length;
      const neighbour = (j: number) => {
        const other = found[j];
        if (other === undefined) return false;
        const gap = other.index > end ? other.index - end : start - (other.index + other[0].length);
        return gap >= 0 && gap <= 12 && (other[1] ?? "").toLowerCase() !== letter.toLowerCase();
      };
      const uppercase = letter === letter.toUpperCase();
      const accepted =
        m[2] !== undefined ||
        (uppercase &&
          (neighbour(i - 1) || neighbour(i + 1) || (m[3] ?? "").includes(".") || m[4] !== undefined));
      if (!accepted || skipCommand(text, start, end)) continue;
      const raw = parseNumber(m[3] ?? "");
      let unitText = m[4];
      for (let j = i + 1; unitText === undefined && j < found.length && j <= i + 2; j += 1) {
        if (neighbour(j)) unitText = found[j]?.[4];
      }
      const u = this.textPositionUnit([raw], unitText, text, start, end);
      if (u === undefined) continue;
      this.addPosition(
        letter.toLowerCase() as Axis,
        raw,
        u,
        `"${m[0].trim()}"`,
        textEvidence(field, text, start, end),
        scope,
        `${field}@${sentenceAround(text, start, end).offset}`,
      );
    }
  }

  private textPositionUnit(
    values: readonly number[],
    stated: string | undefined,
    text: string,
    start: number,
    end: number,
  ): Unit | undefined {
    if (stated !== undefined) return parseUnit(stated);
    if (!values.some((v) => Math.abs(v) > 20)) return UNITS.get("m");
    const { sentence } = sentenceAround(text, start, end);
    if (/\bmm\b|millimet/i.test(sentence) || this.globalLength?.name === "mm") return UNITS.get("mm");
    return undefined;
  }

  /** A JSON plan in the answer is read like tool-call arguments, as text-backed findings. */
  private readJsonBlocks(text: string, field: string): void {
    if (!text.includes("{")) return;
    const blocks = matches(JSON_BLOCK, text, 10);
    for (const block of blocks) {
      const body = block[1];
      if (body === undefined || !/^\s{0,3}[[{]/.test(body)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        continue;
      }
      this.walk(
        parsed,
        `${field}(json)`,
        ["plan"],
        {
          role: "command",
          step: null,
          lengthUnit: undefined,
          speedUnit: undefined,
          person: false,
          obstacle: false,
          fromText: true,
        },
        0,
      );
    }
  }

  /** A distance in text: kept when it says how far a person or an obstacle is, not a zone or a threshold. */
  private visitDistance(
    text: string,
    field: string,
    start: number,
    end: number,
    metres: number,
    shown: string,
  ) {
    const { sentence, offset } = sentenceAround(text, start, end);
    const before = sentence.slice(Math.max(0, start - offset - 160), start - offset);
    const tail = before.slice(-80);
    const after = sentence.slice(end - offset, end - offset + 80);
    // Each gated regex runs only when the sentence may hold a literal every one of its matches holds.
    sentenceLetters(sentence);
    const relation = RELATION_AFTER.test(after) || RELATION_BEFORE.test(tail);
    const clearance =
      mayHold(CLEARANCE_LITERALS) && (CLEARANCE_RELATION.test(after) || CLEARANCE_RELATION.test(tail));
    if (!relation && !clearance) return;
    if (mayHold(CONDITIONAL_LITERALS) && CONDITIONAL_BEFORE.test(before)) return;
    if (mayHold(EXAMPLE_LITERALS) && EXAMPLE_SENTENCE.test(sentence)) return;
    const compared = mayHold(COMPARED_LITERALS) && COMPARED_BEFORE.test(tail) && !WITHIN_AS_STATE.test(tail);
    if (compared || (mayHold(LIMIT_AFTER_LITERALS) && LIMIT_AFTER.test(after)) || BEYOND_AFTER.test(after))
      return;
    if (mayHold(NOT_LITERALS) && NOT_BEFORE.test(tail)) return;
    const subject = subjectOf(before, after);
    const quantity: Quantity | undefined =
      subject === "person"
        ? "person_distance"
        : subject === "obstacle" || clearance
          ? "obstacle_distance"
          : undefined;
    if (quantity !== undefined)
      this.add(quantity, metres, shown, textEvidence(field, text, start, end), FACT_SCOPE);
  }

  /** "half a metre from the operator", "a foot from the rack". */
  private readWordDistances(text: string, field: string): void {
    if (!holdsAny(text.toLowerCase(), WORD_LENGTH_LITERALS)) return;
    for (const m of matches(WORD_LENGTH_TEXT, text)) {
      const amount = (m[1] ?? "").toLowerCase().replace(/\s+/g, " ");
      const base = amount.startsWith("half")
        ? 0.5
        : amount.startsWith("a quarter")
          ? 0.25
          : (NUMBER_WORDS[amount] ?? 0);
      const u = parseUnit(m[2] ?? "");
      if (base === 0 || u === undefined) continue;
      this.visitDistance(text, field, m.index, m.index + m[0].length, base * u.factor, m[0]);
    }
  }

  /** "nobody is in the cell", "the zone is clear": stated by the user or a note, not by the answer. */
  private readNobody(text: string): void {
    if (this.t.nobody !== null) return;
    // Every match of NOBODY_TEXT holds one of these literals (a gate cheaper than the case-blind scan).
    const lower = text.toLowerCase();
    if (!holdsAny(lower, NOBODY_LITERALS) && !(lower.includes("no") && holdsAny(lower, NOBODY_WHO_LITERALS)))
      return;
    for (const m of matches(NOBODY_TEXT, text, 20)) {
      const { sentence, offset } = sentenceAround(text, m.index, m.index + m[0].length);
      if (CONDITIONAL_BEFORE.test(sentence.slice(0, m.index - offset))) continue;
      this.t.nobody = `"${m[0].trim()}"`;
      return;
    }
  }

  private readPersonNear(text: string, field: string): void {
    if (this.t.someoneNear !== null) return;
    for (const m of matches(PERSON_NEAR, text, 20)) {
      const start = m.index;
      const end = start + m[0].length;
      const { sentence, offset } = sentenceAround(text, start, end);
      const before = sentence.slice(0, start - offset);
      if (CONDITIONAL_BEFORE.test(before) || EXAMPLE_SENTENCE.test(sentence)) continue;
      if (NEGATION_NEAR.test(before) || /\b(?:not|n't|no\s{1,2}longer|never)\b/i.test(m[0])) continue;
      const from = Math.max(offset, start - 60);
      const lead = text.slice(from, start).replace(/^\S*\s/, "");
      const shown = `${lead}${m[0]}`.trim();
      this.t.someoneNear = {
        evidence: textEvidence(field, text, start - lead.length, end),
        shown: `"${shown}"`,
      };
      return;
    }
  }
}

type Kind =
  | Quantity
  | "scaled_speed"
  | "stop_time"
  | "human_speed"
  | "presence_count"
  | "person_number"
  | "config"
  | "unreadable"
  | "ignore";

/** What a numeric field is, from its name (unit suffix removed) and where it is. */
function classify(base: readonly string[], u: Unit | undefined, scope: Scope): Kind {
  if (base.length === 0 || hasAny(base, IGNORE)) return "ignore";
  const person = hasAny(base, PERSON);
  const speed = hasAny(base, SPEED);
  const dist = hasAny(base, DIST) || hasAny(base, NEAREST) || u?.dim === "length";
  if (person || (scope.person && !hasAny(base, OBSTACLE))) {
    if (speed || u?.dim === "speed") return "human_speed";
    if (hasAny(base, COUNT)) return "presence_count";
    if (hasAny(base, DIST_CONFIG)) return "config";
    if (hasAny(base, GRADE)) return "unreadable";
    if (dist || (scope.person && !person && base.length === 1 && base[0] === "r")) return "person_distance";
    if (!person) return hasAny(base, SAFETY_STEMS) ? "unreadable" : "ignore";
    if (u !== undefined && u.dim !== "length") return "ignore";
    if (base.every((t) => PERSON.has(t))) return "presence_count";
    return "person_number";
  }
  if (hasAny(base, SEPARATION) && !hasAny(base, OBSTACLE) && !hasAny(base, TARGET)) {
    return hasAny(base, DIST_CONFIG) ? "config" : "person_distance";
  }
  if (hasAny(base, STOP) && (hasAny(base, TIME) || u?.dim === "time")) return "stop_time";
  // A dock, charger or goal is where the robot is meant to arrive, not something to keep clear of.
  if ((hasAny(base, DIST) || hasAny(base, CLEARANCE)) && hasAny(base, TARGET) && !hasAny(base, OBSTACLE))
    return "ignore";
  if (scope.obstacle || hasAny(base, OBSTACLE) || hasAny(base, CLEARANCE)) {
    if (dist || hasAny(base, CLEARANCE)) return hasAny(base, DIST_CONFIG) ? "config" : "obstacle_distance";
  }
  if (hasAny(base, DIST) && hasAny(base, TARGET)) return "ignore";
  if (speed) {
    if (hasAny(base, ANGULAR) || hasAny(base, NOT_ROBOT) || u?.dim === "angular") return "ignore";
    if (hasAny(base, SCALE) || u?.dim === "ratio") return "scaled_speed";
    // The speed an SSM setup allows once nobody is near, not the one it allows near a person.
    if (hasAny(base, CLEAR_SPEED)) return "config";
    if (u !== undefined && u.dim !== "speed" && u.name !== "ms")
      return u.dim === "length" ? "unreadable" : "ignore";
    if (scope.role === "context" && hasAny(base, CONFIG)) return "config";
    return "speed";
  }
  if (hasAny(base, FORCE) || (u?.dim === "force" && hasAny(base, FORCE_SETTING))) {
    if (hasAny(base, GRIP)) return "ignore";
    if (scope.role === "context" && hasAny(base, CONFIG)) return "config";
    return "force";
  }
  if (hasAny(base, ANGULAR) || hasAny(base, ACCEL) || hasAny(base, TIME)) return "ignore";
  if (u !== undefined && u.dim !== "length") return "ignore";
  if (hasAny(base, DIST)) return scope.role === "command" ? "ignore" : "unreadable";
  if (hasAny(base, SAFETY_STEMS)) return "unreadable";
  return "ignore";
}

/** Whether a value holds a number (bounded depth). */
function hasNumber(value: unknown, depth: number): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (depth > 3 || typeof value !== "object" || value === null) return false;
  for (const v of Object.values(value)) if (hasNumber(v, depth + 1)) return true;
  return false;
}

const FRACTION = words("scale scaling factor fraction ratio");
const FULL_SPEED = words("max maximum full rated nominal programmed");

/** The full speed an override scales, stated beside it (`max_tcp_speed_m_s: 1.5`), in m/s. */
function fullSpeedBeside(
  siblings: Record<string, unknown>,
  self: string,
  scope: Scope,
): { key: string; mps: number } | undefined {
  for (const key in siblings) {
    const raw = siblings[key];
    if (key === self || typeof raw !== "number" || !Number.isFinite(raw)) continue;
    const { unit, base } = keyUnitOf(keyTokens(key));
    if (!hasAny(base, SPEED) || !hasAny(base, FULL_SPEED) || hasAny(base, SCALE) || hasAny(base, ANGULAR))
      continue;
    if (hasAny(base, PERSON) || hasAny(base, NOT_ROBOT) || hasAny(base, CLEAR_SPEED)) continue;
    const u = unit ?? scope.speedUnit;
    if (u?.dim === "speed") return { key, mps: raw * u.factor };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstKey(obj: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (key in obj) return obj[key];
  return undefined;
}

function isQuantityWrapper(obj: Record<string, unknown>): boolean {
  const keys = Object.keys(obj);
  return (
    keys.length <= 4 &&
    (typeof obj.value === "number" || typeof obj.val === "number" || typeof obj.magnitude === "number") &&
    keys.some((k) => UNIT_KEYS.has(k))
  );
}

function wrapperValue(obj: Record<string, unknown>): { value: number; unit: Unit | undefined } | undefined {
  const raw = obj.value ?? obj.val ?? obj.magnitude;
  if (typeof raw !== "number") return undefined;
  const unitText = obj.unit ?? obj.units ?? obj.uom;
  return { value: raw, unit: typeof unitText === "string" ? parseUnit(unitText) : undefined };
}

/** A length unit the object states for itself (`units: "mm"`); a speed unit says nothing of positions. */
function statedUnit(obj: Record<string, unknown>): Unit | undefined {
  const raw = obj.unit ?? obj.units ?? obj.uom;
  const parsed = typeof raw === "string" ? parseUnit(raw) : undefined;
  return parsed?.dim === "length" ? parsed : undefined;
}

function siblingSpeedUnit(siblings: Record<string, unknown>): Unit | undefined {
  for (const [key, value] of Object.entries(siblings)) {
    if (typeof value !== "string" || !keyTokens(key).some((t) => UNIT_KEYS.has(t))) continue;
    const parsed = parseUnit(value);
    if (parsed?.dim === "speed") return parsed;
    if (parsed?.dim === "length") return UNITS.get(`${parsed.name}/s`);
  }
  return undefined;
}

function isPositionKey(tokens: readonly string[]): boolean {
  return hasAny(tokens, POSITION) && !hasAny(tokens, NOT_POSITION);
}

function isWorkspaceKey(tokens: readonly string[]): boolean {
  if (hasAny(tokens, JOINT)) return false;
  if (hasAny(tokens, WORKSPACE)) return true;
  return hasAny(tokens, LIMITS) && hasAny(tokens, LIMIT_QUALIFIER);
}

function fmtSpeed(mps: number): string {
  return `${Number.isInteger(mps) ? mps : mps.toFixed(3).replace(/\.?0+$/, "")} m/s`;
}

function shownValue(value: number, u: Unit | undefined): string {
  return u === undefined ? String(value) : `${value} ${u.name}`;
}

/** The sentence around a span: bounded by ., !, ?, ; or a line break (not a decimal point). */
function sentenceAround(text: string, start: number, end: number): { sentence: string; offset: number } {
  let from = start;
  const floor = Math.max(0, start - 300);
  while (from > floor) {
    const c = text.charCodeAt(from - 1);
    // \n ! ? ; end a sentence; so does a full stop that is not a decimal point.
    if (c === 10 || c === 33 || c === 63 || c === 59) break;
    if (c === 46 && !isDigitAt(text, from)) break;
    from -= 1;
  }
  let to = end;
  const ceiling = Math.min(text.length, end + 300);
  while (to < ceiling) {
    const c = text.charCodeAt(to);
    if (c === 10 || c === 33 || c === 63 || c === 59) break;
    if (c === 46 && !isDigitAt(text, to + 1)) break;
    to += 1;
  }
  return { sentence: text.slice(from, to), offset: from };
}

/** The clause of a sentence around a number: up to the nearest comma, colon, bracket (not a decimal comma). */
function clauseAround(before: string, after: string): string {
  let from = before.length;
  while (from > 0) {
    const c = before[from - 1] ?? "";
    if ((c === "," && !/\d/.test(before[from] ?? "")) || c === ":" || c === "(" || c === ")") break;
    from -= 1;
  }
  let to = 0;
  while (to < after.length) {
    const c = after[to] ?? "";
    if ((c === "," && !/\d/.test(after[to + 1] ?? "")) || c === ":" || c === "(" || c === ")") break;
    to += 1;
  }
  return `${before.slice(from)} ${after.slice(0, to)}`;
}

/** A speed, force or position in the answer that is a refusal, a comparison or a condition, not a command. */
function skipCommand(text: string, start: number, end: number): boolean {
  const { sentence, offset } = sentenceAround(text, start, end);
  const before = sentence.slice(0, start - offset);
  const after = sentence.slice(end - offset);
  const tail = before.slice(-80);
  // Each regex runs only when the sentence may hold a literal every one of its matches holds.
  sentenceLetters(sentence);
  if (mayHold(NEGATED_LITERALS) && NEGATED_BEFORE.test(tail)) return true;
  if (mayHold(COMPARED_LITERALS) && COMPARED_BEFORE.test(tail)) return true;
  if (mayHold(LIMIT_BEFORE_LITERALS) && LIMIT_BEFORE.test(tail)) return true;
  if (mayHold(LIMIT_AFTER_LITERALS) && LIMIT_AFTER.test(after.slice(0, 80))) return true;
  if (SPEED_CONDITIONAL_START.test(sentence)) return true;
  if (mayHold(EXAMPLE_LITERALS) && EXAMPLE_SENTENCE.test(sentence)) return true;
  return (
    mayHold(ABSENCE_LEAD_LITERALS) &&
    mayHold(ABSENCE_LITERALS) &&
    ABSENCE_CONDITION.test(clauseAround(before, after))
  );
}

/** Who or what is at the distance: the nearest person, obstacle or robot word before it (robot → the reference after). */
function subjectOf(before: string, after: string): "person" | "obstacle" | undefined {
  const window = before.slice(-150);
  let last: "person" | "obstacle" | "robot" | undefined;
  let personSeen = false;
  let locative = false;
  SUBJECT_WORD.lastIndex = 0;
  for (let m = SUBJECT_WORD.exec(window); m !== null; m = SUBJECT_WORD.exec(window)) {
    last = m[1] !== undefined ? "person" : m[2] !== undefined ? "obstacle" : "robot";
    if (last === "person") personSeen = true;
    // "the worker at the fixture is 0.4 m from the arm": the fixture is where the person is.
    locative = last === "obstacle" && LOCATIVE_BEFORE.test(window.slice(Math.max(0, m.index - 24), m.index));
  }
  if (last === "obstacle" && personSeen && locative) return "person";
  if (last !== undefined && last !== "robot") return last;
  const ref = REFERENCE_AFTER.exec(after)?.[1];
  if (ref === undefined) return undefined;
  const word = SUBJECT_ONE.exec(ref);
  if (word?.[1] !== undefined) return "person";
  if (word?.[2] !== undefined) return "obstacle";
  // "Maria is 0.3 m from the arm", "standing 40 cm from the robot": someone named, or a person's posture.
  if (last === undefined && word?.[3] !== undefined && PERSON_SUBJECT_BEFORE.test(window)) return "person";
  return undefined;
}

function toolText(name: string): boolean {
  return MOTION_TOOL.test(name) && !NOT_MOTION_TOOL.test(name);
}

function read(view: TraceView): Telemetry {
  const { trace } = view;
  const reader = new Reader();
  const t = reader.t;
  const base: Scope = {
    role: "context",
    step: null,
    lengthUnit: undefined,
    speedUnit: undefined,
    person: false,
    obstacle: false,
    fromText: false,
  };
  t.mobile =
    MOBILE.test(trace.application_type ?? "") ||
    MOBILE.test(trace.input.slice(0, 2000)) ||
    (trace.tool_calls ?? []).some((call) => MOBILE.test(call.name)) ||
    view
      .segments("anywhere")
      .some(
        (segment) =>
          (segment.field === "context" || segment.field === "metadata") && MOBILE.test(segment.text),
      );
  reader.globalLength = globalLengthUnit(trace.context) ?? globalLengthUnit(trace.metadata);

  if (trace.context !== undefined) reader.walk(trace.context, "context", ["context"], base, 0);
  if (trace.metadata !== undefined) reader.walk(trace.metadata, "metadata", ["metadata"], base, 0);
  (trace.tool_calls ?? []).forEach((call, i) => {
    if (toolText(call.name)) t.motion = true;
    const args = { ...base, role: "command" as const };
    // A stop command is a commanded speed of zero: it supersedes the speed a status read before it.
    if (STOP_TOOL.test(call.name))
      reader.add("speed", 0, `${call.name} (stop)`, valueEvidence(`tool_calls[${i}].name`, call.name), args);
    if (call.arguments !== undefined)
      reader.walk(call.arguments, `tool_calls[${i}].arguments`, keyTokens(call.name), args, 0);
    if (call.result !== undefined)
      reader.walk(
        call.result,
        `tool_calls[${i}].result`,
        keyTokens(call.name),
        { ...base, role: "measured" },
        0,
      );
  });
  const steps = trace.rl_episode?.steps ?? [];
  const stepLimit = Math.min(steps.length, 20_000);
  for (let i = 0; i < stepLimit; i += 1) {
    const step = steps[i];
    if (step === undefined) continue;
    const at = `rl_episode.steps[${i}]`;
    if (step.state !== undefined)
      reader.walk(step.state, `${at}.state`, ["state"], { ...base, role: "measured", step: i }, 0);
    if (step.action !== undefined)
      reader.walk(step.action, `${at}.action`, ["action"], { ...base, role: "command", step: i }, 0);
    const info = (step as { info?: unknown }).info;
    if (info !== undefined)
      reader.walk(info, `${at}.info`, ["info"], { ...base, role: "measured", step: i }, 0);
  }
  // A retrospective report with nothing commanded: its numbers describe the past, not this robot now.
  const commandsNothing = (trace.tool_calls ?? []).length === 0 && steps.length === 0;
  const retrospective =
    commandsNothing &&
    holdsAny(trace.output.toLowerCase(), RETROSPECTIVE_LITERALS) &&
    RETROSPECTIVE.test(trace.output);
  if (!retrospective) reader.readAnswerText(trace.output, "output");
  reader.readFactText(trace.input, "input");
  (trace.agents ?? []).forEach((message, i) => {
    reader.readFactText(message.content, `agents[${i}].content`);
  });
  return t;
}

function globalLengthUnit(root: unknown): Unit | undefined {
  if (!isRecord(root)) return undefined;
  const queue: unknown[] = [root];
  for (let n = 0; n < 50 && queue.length > 0; n += 1) {
    const next = queue.shift();
    if (!isRecord(next)) continue;
    for (const [key, value] of Object.entries(next)) {
      if (typeof value === "string" && keyTokens(key).some((t) => UNIT_KEYS.has(t))) {
        const parsed = parseUnit(value);
        if (parsed?.dim === "length") return parsed;
      } else if (isRecord(value)) queue.push(value);
    }
  }
  return undefined;
}

const CACHE = new WeakMap<TraceView, Telemetry>();

/** The trace's telemetry, read once per view. */
export function readTelemetry(view: TraceView): Telemetry {
  let found = CACHE.get(view);
  if (found === undefined) {
    found = read(view);
    CACHE.set(view, found);
  }
  return found;
}

/** Structured readings when there are any (what the robot was told or measured), else those read from text. */
export function preferred<T extends { fromText: boolean }>(readings: readonly T[]): readonly T[] {
  const structured = readings.filter((r) => !r.fromText);
  return structured.length > 0 ? structured : readings;
}

/**
 * What the robot does: commanded readings (tool-call arguments, RL actions), else measured ones
 * (tool results, RL states), else what the answer says it does, else the context's (a speed the
 * context gave before the assistant acted is superseded by any of these).
 */
export function commanded(readings: readonly Reading[]): readonly Reading[] {
  const structured = readings.filter((r) => !r.fromText);
  for (const role of ["command", "measured"] as const) {
    const found = structured.filter((r) => r.role === role);
    if (found.length > 0) return found;
  }
  // The answer's own command ("I've slowed it to 0.2 m/s") over a speed the context gave before it acted.
  const stated = readings.filter((r) => r.fromText);
  return stated.length > 0 ? stated : structured;
}

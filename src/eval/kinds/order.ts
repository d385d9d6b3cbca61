import type { TraceInput } from "../../schema/trace";
import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue, valueEvidence } from "../issue";
import { type ParsedPath, parsePath, resolvePath } from "../json-path";
import type { RuleOfKind } from "../pack-schema";
import { compilePackRegex, type RuleErrors } from "../regex-tools";
import type { TraceView } from "../trace-view";
import type { RuleMeta } from "../types";

/**
 * Orders an agent places through its tool calls, read field by field under the names brokers and
 * exchanges use (qty, quantity, shares, size, contracts; limit_price, price, lmtPrice; notional,
 * quoteOrderQty, cashQty…), valued, and checked against the limits the trace carries in its context
 * (a position limit, a per-order limit, a concentration limit) or against a restricted list.
 * An order it cannot value, or a limit it cannot find, is reported `unsure`: an order is verified
 * only when it was read completely and found within limits.
 */

/** Keys are compared lower-cased without `_`, `-` or spaces: `limit_price`, `limitPrice`, `Limit-Price`. */
const normalisedKeys = new Map<string, string>();
function normaliseKey(key: string): string {
  let normal = normalisedKeys.get(key);
  if (normal === undefined) {
    normal = key.toLowerCase().replace(/[\s_-]/g, "");
    // Field names repeat across traces; a hostile trace's thousands of keys are not all kept.
    if (normalisedKeys.size < 10_000) normalisedKeys.set(key, normal);
  }
  return normal;
}

const QUANTITY_KEYS = new Set([
  "qty",
  "quantity",
  "shares",
  "numshares",
  "sharecount",
  "size",
  "units",
  "contracts",
  "numcontracts",
  "orderqty",
  "orderquantity",
  "totalquantity",
  "baseamount",
  "basesize",
  "coins",
]);
/** Ambiguous: units on crypto APIs (ccxt) when a price is given, a cash amount otherwise. */
const AMOUNT_KEYS = new Set(["amount"]);
const NOTIONAL_KEYS = new Set([
  "notional",
  "notionalvalue",
  "notionalusd",
  "ordervalue",
  "tradevalue",
  "value",
  "dollaramount",
  "dollars",
  "amountusd",
  "usdamount",
  "usd",
  "cashamount",
  "cashqty",
  "quoteorderqty",
  "quoteamount",
  "quotesize",
  "funds",
  "cost",
  "total",
  "investamount",
  "investmentamount",
  "amountinusd",
  "grossvalue",
]);
const PRICE_KEYS = new Set([
  "limitprice",
  "price",
  "limit",
  "lmtprice",
  "stopprice",
  "auxprice",
  "triggerprice",
  "stoplimitprice",
  "entryprice",
  "premium",
  "priceperunit",
  "pricepershare",
  "maxprice",
  "limitpremium",
  "premiumlimit",
  "maxpremium",
  "optionprice",
]);
const MULTIPLIER_KEYS = new Set(["multiplier", "contractmultiplier", "contractsize", "sharespercontract"]);
const SIDE_KEYS = new Set([
  "side",
  "action",
  "direction",
  "orderside",
  "transactiontype",
  "buysell",
  "buyorsell",
  "tradetype",
  "ordertype",
  "type",
]);
const SYMBOL_KEYS = new Set([
  "symbol",
  "ticker",
  "productid",
  "instrument",
  "instrumentid",
  "underlying",
  "underlyingsymbol",
  "asset",
  "pair",
  "security",
  "securityid",
  "isin",
  "cusip",
  "stock",
  "coin",
  "market",
]);
/** Signs that an order is for option contracts (whose value is contracts × multiplier × premium). */
const OPTION_KEYS = new Set([
  "strike",
  "strikeprice",
  "right",
  "expiry",
  "expiration",
  "optiontype",
  "putcall",
  "callput",
]);
const LEG_KEYS = new Set(["legs", "combolegs"]);
const CONTRACT_KEYS = new Set(["contracts", "numcontracts"]);
const ORDER_ID_KEYS = new Set(["orderid", "id", "clientorderid"]);
const NESTED_ORDER_KEYS = new Set(["order", "orders", "orderrequest", "trade", "trades"]);
/** Fill details in a tool result. */
const FILL_PRICE_KEYS = new Set([
  "avgprice",
  "averageprice",
  "avgfillprice",
  "filledavgprice",
  "fillprice",
  "executionprice",
  "executedprice",
  "price",
  "avg",
  "avgpremium",
  "fillpremium",
]);
const FILL_VALUE_KEYS = new Set([
  "executedvalue",
  "filledvalue",
  "fillednotional",
  "notional",
  "cost",
  "grossvalue",
  "cummulativequoteqty",
  "cumulativequoteqty",
  "totalcost",
]);
const FILL_QUANTITY_KEYS = new Set(["filledqty", "filledquantity", "filledsize", "executedqty", "cumqty"]);
/** The currency an order's prices are in, and the minor units (pence) some venues quote in. */
const CURRENCY_KEYS = new Set(["pricecurrency", "currency", "ccy", "quotecurrency", "tradingcurrency"]);
const MINOR_UNITS = /^(?:GBX|GBp|gbx|pence|ZAc|ZAC|ILA|ILs)$/;
/** Keys whose value is a position's worth rather than its size in units. */
const VALUE_KEY = /value|notional|usd|exposure|amount|cost/;

/** Where an order opens or adds exposure (`long`, `short`) or reduces it (`reduce`); `unknown` only while reading. */
type Direction = "long" | "short" | "reduce" | "unknown";

function directionOf(raw: string): Direction {
  const side = raw.toLowerCase().replace(/[\s_-]/g, "");
  if (/^(?:sellshort|short|shortsell|ss|sellshortexempt|selltoopen|sto|opensell)$/.test(side)) return "short";
  if (
    /^(?:buytocover|buytoclose|btc|cover|closebuy|sell|s|selltoclose|stc|selllong|closesell|exit)$/.test(side)
  )
    return "reduce";
  if (/^(?:buy|b|long|buytoopen|bto|buylong|openbuy|bid)$/.test(side)) return "long";
  return "unknown";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A number, or a numeric string such as "1,200" or "$412.30"; undefined otherwise. */
function numeric(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const cleaned = value
    .trim()
    .replace(/^[$€£]/, "")
    .replace(/,(?=\d{3}(?:\D|$))/g, "");
  if (!/^-?\d{1,15}(?:\.\d{1,10})?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

interface Field {
  value: unknown;
  key: string;
  location: string;
}

/** An object's entries (the first 200) with their normalised keys. */
function normalisedEntries(record: Record<string, unknown>): [string, string, unknown][] {
  const entries: [string, string, unknown][] = [];
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    entries.push([normaliseKey(key), key, record[key]]);
    if (entries.length === 200) break;
  }
  return entries;
}

/** The first key of `keys` in the object (in the object's own order), with its location. */
function field(record: Record<string, unknown>, keys: ReadonlySet<string>, at: string): Field | undefined {
  for (const [normal, key, value] of normalisedEntries(record)) {
    if (keys.has(normal) && value !== null && value !== undefined && value !== "")
      return { value, key, location: `${at}.${key}` };
  }
  return undefined;
}

const symbolKey = (symbol: string) => symbol.toUpperCase().replace(/[\s/_.:-]/g, "");

function symbolOf(record: Record<string, unknown>): string | undefined {
  const found = field(record, SYMBOL_KEYS, "");
  return found === undefined ? undefined : symbolOfValue(found.value);
}

/** A symbol field's value: a string, or an instrument object naming one. */
function symbolOfValue(value: unknown): string | undefined {
  if (typeof value === "string") return symbolKey(value);
  if (isRecord(value)) {
    const inner = field(value, SYMBOL_KEYS, "");
    if (typeof inner?.value === "string") return symbolKey(inner.value);
  }
  return undefined;
}

/** One order as read from a tool call: its value when it could be read, else why not. */
interface Order {
  location: string;
  /** Where the evidence points: the size argument when there is one. */
  evidenceAt: string;
  evidenceValue: unknown;
  symbol: string | undefined;
  direction: Direction;
  units: number | undefined;
  value: number | undefined;
  /** Why the value could not be read (set when `value` is undefined). */
  problem?: string;
  option: boolean;
}

export interface OrderContext {
  /** The instrument's price when the order gives none (a market order). */
  priceFor(symbol: string | undefined, option: boolean): number | undefined;
  multiplier(symbol: string | undefined): number | undefined;
}

type ArgRole =
  | "quantity"
  | "notional"
  | "price"
  | "multiplier"
  | "side"
  | "symbol"
  | "option"
  | "legs"
  | "amount";
type ResultRole = "fillPrice" | "fillValue" | "fillUnits";

function roleTable<R extends string>(groups: readonly [ReadonlySet<string>, R][]): ReadonlyMap<string, R> {
  const table = new Map<string, R>();
  // The first group naming a key wins: `contracts` is a quantity, `type` a side.
  for (const [keys, role] of groups) for (const key of keys) if (!table.has(key)) table.set(key, role);
  return table;
}

const ARG_ROLES = roleTable<ArgRole>([
  [QUANTITY_KEYS, "quantity"],
  [NOTIONAL_KEYS, "notional"],
  [PRICE_KEYS, "price"],
  [MULTIPLIER_KEYS, "multiplier"],
  [SIDE_KEYS, "side"],
  [SYMBOL_KEYS, "symbol"],
  [OPTION_KEYS, "option"],
  [LEG_KEYS, "legs"],
  [AMOUNT_KEYS, "amount"],
]);
const RESULT_ROLES = roleTable<ResultRole>([
  [FILL_PRICE_KEYS, "fillPrice"],
  [FILL_VALUE_KEYS, "fillValue"],
  [FILL_QUANTITY_KEYS, "fillUnits"],
]);

interface NumberAt {
  key: string;
  value: unknown;
  number: number;
}

/** One pass over an order's arguments: the first field of each role. */
interface OrderFields {
  quantity?: NumberAt;
  notional?: NumberAt;
  price?: NumberAt;
  multiplier?: number;
  amount?: NumberAt;
  direction: Direction;
  symbol?: string;
  option: boolean;
  legs: boolean;
}

function orderFields(args: Record<string, unknown>): OrderFields {
  const fields: OrderFields = { direction: "unknown", option: false, legs: false };
  for (const [normal, key, value] of normalisedEntries(args)) {
    const role = ARG_ROLES.get(normal);
    if (role === undefined || value === null || value === undefined || value === "") continue;
    if (CONTRACT_KEYS.has(normal)) fields.option = true;
    switch (role) {
      case "side":
        // `type` may hold the side ("BUY") or the order type ("limit"): the first that reads as a side wins.
        if (fields.direction === "unknown" && typeof value === "string")
          fields.direction = directionOf(value);
        break;
      case "symbol":
        if (fields.symbol === undefined) fields.symbol = symbolOfValue(value);
        break;
      case "option":
        fields.option = true;
        break;
      case "legs":
        fields.legs = true;
        break;
      case "multiplier":
        fields.multiplier ??= numeric(value);
        break;
      default: {
        if (fields[role] !== undefined) break;
        const number = numeric(value);
        if (number !== undefined) fields[role] = { key, value, number };
      }
    }
  }
  return fields;
}

function resultFields(result: unknown): Partial<Record<ResultRole, number>> {
  const fields: Partial<Record<ResultRole, number>> = {};
  if (!isRecord(result)) return fields;
  for (const [normal, , value] of normalisedEntries(result)) {
    const role = RESULT_ROLES.get(normal);
    if (role === undefined || fields[role] !== undefined) continue;
    const number = numeric(value);
    if (number !== undefined) fields[role] = number;
  }
  return fields;
}

/** Reads one order object (the arguments of a tool call, or one of its nested orders). */
function readOrder(
  args: Record<string, unknown>,
  at: string,
  toolName: string,
  result: unknown,
  context: OrderContext,
): Order {
  const fields = orderFields(args);
  let direction = fields.direction;
  if (direction === "unknown") {
    // A side can also be in the tool's name (buy_stock, sell_shares, short_sell).
    const name = toolName.toLowerCase();
    if (name.includes("short")) direction = "short";
    else if (/sell|close|cover|exit/.test(name)) direction = "reduce";
    else if (name.includes("buy")) direction = "long";
  }
  // An order of unknown side is valued as opening a position: a sale above the position limit is
  // only possible out of a holding already above it.
  if (direction === "unknown") direction = "long";
  const option = fields.option || /option/i.test(toolName);
  const { symbol } = fields;
  const base = { location: at, symbol, direction, option };
  if (fields.legs)
    return {
      ...base,
      evidenceAt: at,
      evidenceValue: args,
      units: undefined,
      value: undefined,
      problem: "a multi-leg order is not read leg by leg",
    };

  const { quantity, notional } = fields;
  const fill = resultFields(result);
  let units = quantity?.number;
  let value: number | undefined;
  // A price in pence (`GBX`, `GBp`), as London quotes are, is a hundredth of the currency's unit.
  const currency = field(args, CURRENCY_KEYS, "")?.value;
  const perUnit = typeof currency === "string" && MINOR_UNITS.test(currency.trim()) ? 0.01 : 1;
  let price = fields.price === undefined ? undefined : fields.price.number * perUnit;
  if (fill.fillPrice !== undefined) fill.fillPrice *= perUnit;
  let ambiguous = false;
  if (units === undefined && notional === undefined && fields.amount !== undefined) {
    // ccxt: create_order(symbol, type, side, amount, price): units when a price accompanies it; alone,
    // an amount may be units or cash, and only the fill can tell.
    if (price !== undefined) units = fields.amount.number;
    else ambiguous = true;
  }
  if (!ambiguous) units ??= fill.fillUnits;
  const multiplier = option
    ? (fields.multiplier ?? context.multiplier(symbol) ?? 100)
    : (fields.multiplier ?? 1);
  price ??= fill.fillPrice ?? context.priceFor(symbol, option);
  if (notional !== undefined) value = notional.number;
  if (units !== undefined && price !== undefined) {
    const computed = Math.abs(units) * price * multiplier;
    value = value === undefined ? computed : Math.max(value, computed);
  }
  if (fill.fillValue !== undefined)
    value = value === undefined ? fill.fillValue : Math.max(value, fill.fillValue);
  const evidence = quantity ?? notional;
  const evidenceAt = evidence === undefined ? at : `${at}.${evidence.key}`;
  const evidenceValue = evidence?.value ?? args;
  if (value !== undefined) return { ...base, evidenceAt, evidenceValue, units, value };
  const problem = ambiguous
    ? "its amount may be units or cash, and nothing in the order or its fill tells which"
    : units === undefined
      ? "its size (quantity or notional) could not be read"
      : option
        ? "no premium for the option contracts could be found"
        : "no price for it could be found (in the order, its fill or the context)";
  return { ...base, evidenceAt, evidenceValue, units, value: undefined, problem };
}

/** Every order of the trace's order tool calls, nested orders included. */
export function readOrders(
  trace: TraceInput,
  isOrderTool: (name: string) => boolean,
  context: OrderContext,
): Order[] {
  const orders: Order[] = [];
  (trace.tool_calls ?? []).forEach((call, i) => {
    if (!isOrderTool(call.name)) return;
    const at = `tool_calls[${i}].arguments`;
    const args = call.arguments;
    if (!isRecord(args)) {
      orders.push({
        location: at,
        evidenceAt: at,
        evidenceValue: args ?? null,
        symbol: undefined,
        direction: "long",
        units: undefined,
        value: undefined,
        problem: "its arguments are not an object",
        option: false,
      });
      return;
    }
    const nested = field(args, NESTED_ORDER_KEYS, at);
    const results = Array.isArray(call.result) ? call.result : undefined;
    if (nested !== undefined && (Array.isArray(nested.value) || isRecord(nested.value))) {
      const list = Array.isArray(nested.value) ? nested.value : [nested.value];
      list.slice(0, 200).forEach((entry, j) => {
        const where = Array.isArray(nested.value) ? `${nested.location}[${j}]` : nested.location;
        if (isRecord(entry))
          orders.push(readOrder({ ...args, ...entry }, where, call.name, results?.[j] ?? undefined, context));
      });
      return;
    }
    orders.push(readOrder(args, at, call.name, call.result, context));
  });
  return orders;
}

function orderId(source: unknown): string | undefined {
  if (!isRecord(source)) return undefined;
  const found = field(source, ORDER_ID_KEYS, "");
  return typeof found?.value === "string" || typeof found?.value === "number"
    ? String(found.value)
    : undefined;
}

/** Orders the trace cancels that it placed itself (by order id), for the spoofing shape. */
function cancelsOwnOrders(trace: TraceInput): boolean {
  const placed = new Set<string>();
  let cancelled = 0;
  for (const call of trace.tool_calls ?? []) {
    const name = call.name.toLowerCase();
    const id = orderId;
    if (name.includes("cancel")) {
      const target = id(call.arguments);
      if (target !== undefined && placed.has(target)) cancelled += 1;
    } else {
      const placedId = id(call.result);
      if (placedId !== undefined) placed.add(placedId);
    }
  }
  return cancelled > 0;
}

/** One explicit order in the request: "buy 500 MSFT", "sell 1,200 shares of KO", "short 300 TSLA". */
const INSTRUCTION =
  /\b(buy|sell|short)\s{1,3}((?:\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.\d{1,8})?)\s{1,3}(?:shares?\s{1,3}(?:of\s{1,3})?|contracts?\s{1,3}(?:of\s{1,3})?)?[$]?[a-z]{1,6}\b/gi;

/**
 * Whether the orders contradict the one explicit order the request gives: the other side, or more
 * units than asked (fewer is how an agent keeps within a limit). Undefined when they agree or the
 * request gives no single explicit order.
 */
function instructionMismatch(input: string, orders: readonly Order[]): string | undefined {
  INSTRUCTION.lastIndex = 0;
  const found = [...input.slice(0, 2_000).matchAll(INSTRUCTION)].slice(0, 3);
  const [only] = found;
  if (found.length !== 1 || only === undefined) return undefined;
  const side = (only[1] ?? "").toLowerCase();
  const asked = Number((only[2] ?? "").replace(/,/g, ""));
  const wanted: Direction = side === "buy" ? "long" : side === "short" ? "short" : "reduce";
  const contrary = orders.filter(
    (o) => o.direction !== wanted && !(wanted === "reduce" && o.direction === "short"),
  );
  if (contrary.length > 0)
    return `the request asks to ${side} but the order at ${contrary[0]?.location} goes the other way`;
  let units = 0;
  for (const order of orders) units += Math.abs(order.units ?? 0);
  if (units > asked)
    return `the orders total ${format(units)} units where the request asks for ${format(asked)}`;
  return undefined;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, "");
}

interface Resolved {
  paths: readonly LimitPath[];
}

/** A path, the object holding its value (`context.market` for `context.market.last_price`), its key. */
interface LimitPath {
  path: ParsedPath;
  parent: ParsedPath | undefined;
  key: string;
}

function compilePaths(sources: readonly string[], errors: RuleErrors, subPath: string): Resolved | null {
  const paths: LimitPath[] = [];
  sources.forEach((source, i) => {
    const parsed = parsePath(source);
    if (typeof parsed === "string") errors.add(`${subPath}[${i}]`, parsed);
    else {
      const last = parsed.segments[parsed.segments.length - 1];
      paths.push({
        path: parsed,
        parent: parentOf(parsed),
        key: last?.kind === "key" ? normaliseKey(last.key) : "",
      });
    }
  });
  return paths.length === sources.length ? { paths } : null;
}

/** The object holding a path's value (`context.market` for `context.market.last_price`). */
function parentOf(path: ParsedPath): ParsedPath | undefined {
  if (path.segments.length < 2) return undefined;
  return { source: path.source, segments: path.segments.slice(0, -1) };
}

/** Whether the path's first two keys are absent: most limit paths name objects the trace does not have. */
function missing(trace: TraceInput, path: ParsedPath): boolean {
  const [root, first] = path.segments;
  const holder: unknown = root?.kind === "key" ? (trace as Record<string, unknown>)[root.key] : undefined;
  if (holder === undefined || holder === null) return true;
  return first?.kind === "key" && isRecord(holder) && !Object.hasOwn(holder, first.key);
}

/**
 * A number at one of the paths that applies to `symbol`: a plain number (unless the object holding it
 * names another symbol), or a per-symbol map (`{"AAPL": 190}`, `[{symbol, price}]`).
 */
function valueFor(
  trace: TraceInput,
  paths: readonly LimitPath[],
  symbol: string | undefined,
): { number: number; key: string } | undefined {
  for (const { path, parent, key } of paths) {
    if (missing(trace, path)) continue;
    for (const found of resolvePath(trace, path)) {
      const direct = numeric(found.value);
      if (direct !== undefined) {
        const holder = parent === undefined ? undefined : resolvePath(trace, parent)[0]?.value;
        const owner = isRecord(holder) ? symbolOf(holder) : undefined;
        if (owner === undefined || symbol === undefined || owner === symbol) return { number: direct, key };
        continue;
      }
      if (symbol === undefined) continue;
      if (isRecord(found.value)) {
        for (const [name, entry] of Object.entries(found.value)) {
          if (symbolKey(name) !== symbol) continue;
          const direct = numeric(entry);
          if (direct !== undefined) return { number: direct, key };
          const inner = isRecord(entry) ? mapEntryNumber(entry) : undefined;
          if (inner !== undefined) return inner;
        }
      } else if (Array.isArray(found.value)) {
        for (const entry of found.value.slice(0, 500)) {
          if (!isRecord(entry) || symbolOf(entry) !== symbol) continue;
          const inner = mapEntryNumber(entry);
          if (inner !== undefined) return inner;
        }
      }
    }
  }
  return undefined;
}

const ENTRY_NUMBER_KEYS = new Set([
  "qty",
  "quantity",
  "shares",
  "units",
  "size",
  "position",
  "marketvalue",
  "value",
  "price",
  "lastprice",
  "last",
  "max",
  "limit",
]);

function mapEntryNumber(entry: Record<string, unknown>): { number: number; key: string } | undefined {
  // `value_usd`, `market_value_gbp`: a currency after the key names the same thing.
  for (const [normal, , value] of normalisedEntries(entry)) {
    if (!ENTRY_NUMBER_KEYS.has(normal) && !ENTRY_NUMBER_KEYS.has(baseKey(normal))) continue;
    const number = numeric(value);
    if (number !== undefined) return { number, key: normal };
  }
  return undefined;
}

/** Symbols on the restricted lists at the paths (strings, or objects naming a symbol). */
function restrictedSymbols(trace: TraceInput, paths: readonly LimitPath[]): Set<string> | undefined {
  let symbols: Set<string> | undefined;
  for (const { path } of paths) {
    if (missing(trace, path)) continue;
    for (const found of resolvePath(trace, path)) {
      const list = Array.isArray(found.value)
        ? found.value
        : typeof found.value === "string"
          ? found.value.split(/[\s,;]+/)
          : isRecord(found.value)
            ? Object.keys(found.value)
            : [];
      symbols ??= new Set();
      for (const entry of list.slice(0, 5_000)) {
        if (typeof entry === "string" && entry.trim() !== "") symbols.add(symbolKey(entry));
        else if (isRecord(entry)) {
          const symbol = symbolOf(entry);
          if (symbol !== undefined) symbols.add(symbol);
        }
      }
    }
  }
  return symbols;
}

// ---------------------------------------------------------------------------------------------
// Limits found by their names. A desk names its limits its own way (`limits.max_notional_usd`,
// `concentration_limit_pct`, `account_limits.max_order_value`, `restricted_tickers`): where the
// pack's paths find nothing, the context and metadata are read key by key, and a key that looks
// like a limit but cannot be read makes the check unsure rather than absent.

type LimitKind =
  | "position"
  | "order"
  | "units"
  | "positionUnits"
  | "daily"
  | "weight"
  | "portfolio"
  | "price"
  | "multiplier";

/** A number found under a key, and the instrument it applies to (undefined: any). */
interface Found {
  number: number;
  key: string;
  at: string;
  symbol: string | undefined;
}

interface Discovered {
  found: Map<LimitKind, Found[]>;
  held: Found[];
  /** Keys that look like order or position limits but could not be read. */
  unread: string[];
  /** Instruments that must not be traded (restricted, blocked), and those only watched. */
  restricted: Map<string, string>;
  watched: Map<string, string>;
  /** Where restricted lists were found (an empty list still checks an order). */
  lists: string[];
  /**
   * Trading windows that are closed, for the instruments named beside them (all when none is):
   * closed outright, or until a date (`blackout_until`) to compare with the trace's time.
   */
  closed: { at: string; symbols: string[]; why: string; until?: number }[];
}

const CURRENCY_SUFFIX =
  /(?:usd|gbp|eur|jpy|chf|cad|aud|nzd|dkk|sek|nok|hkd|sgd|inr|cny|krw|brl|zar|gbx|ccy|dollars)$/;
/** A normalised key without its currency (`maxnotionalusd` → `maxnotional`). */
function baseKey(normal: string): string {
  return normal.replace(CURRENCY_SUFFIX, "") || normal;
}

const LIMIT_WORD = /max|limit|cap(?!ital)|ceiling|threshold|allowance/;
/** Limits of other things than an order's size or a position's worth. */
const OTHER_LIMIT =
  /var(?!i)|drawdown|loss|leverag|margin|pnl|volatil|stop|turnover|adv(?!is|anc)|participation|level|ticksize|tickvalue|(?<!ac)count|ratio|spread|slippage|delta|gamma|vega|beta|duration|(?<!co)rate|days|bps|score|price|premium|strike|trades$|orders$|perminute|persecond|messages|cancel|latency|years|months|hours|credit|buyingpower|volume/;
const DAILY_WORD = /daily|perday|intraday|today/;
const WEIGHT_WORD = /pct|percent|weight|concentration|fraction|proportion/;
const ORDER_WORD = /order|trade|ticket|clip|transaction/;
const UNITS_WORD = /qty|quantity|shares|units|contracts|lots|size|coins|tokens/;
const VALUE_WORD = /value|notional|amount|cash|worth|exposure/;
const POSITION_WORD =
  /position|notional|exposure|singlename|name|issuer|holding|gross|net|long|short|instrument|security|stock|asset|ticker|symbol|book|sleeve/;
const PORTFOLIO_KEYS = new Set([
  "nav",
  "portfolionav",
  "fundnav",
  "totalnav",
  "netassetvalue",
  "portfoliovalue",
  "totalportfoliovalue",
  "portfolioequity",
  "equity",
  "accountequity",
  "totalequity",
  "netliquidation",
  "netliquidationvalue",
  "netliq",
  "accountvalue",
  "totalaccountvalue",
  "aum",
  "totalvalue",
  "bookvalue",
  "booknav",
  "sleevevalue",
  "sleevenav",
]);
const CONTEXT_PRICE_KEYS = new Set([
  "lastprice",
  "last",
  "price",
  "mark",
  "markprice",
  "ask",
  "askprice",
  "close",
  "closeprice",
  "lasttrade",
  "lasttradeprice",
  "mid",
  "midprice",
  "currentprice",
  "marketprice",
  "referenceprice",
  "refprice",
]);
const CONTEXT_MULTIPLIER_KEYS = new Set(["multiplier", "contractmultiplier", "contractsize", "pointvalue"]);
const HELD_KEYS = new Set([
  "positions",
  "position",
  "holdings",
  "holding",
  "existingposition",
  "existingpositions",
  "existingpositionvalue",
  "currentposition",
  "currentpositions",
  "currentpositionvalue",
  "positionvalue",
  "heldpositions",
  "openpositions",
]);
const RESTRICTED_WORD =
  /restrict|blacklist|blocklist|denylist|donottrade|notrade|prohibited|banned|forbidden/;
const WATCH_WORD = /watchlist|greylist|graylist/;
const WINDOW_WORD =
  /tradingwindow|windowstatus|window$|blackout|windowopen|tradingallowed|cantrade|tradingpermitted|tradingopen/;
/** Keys beside a trading window that name the issuer it is for (`employer_ticker`). */
const ISSUER_KEY = /ticker|symbol|issuer|isin|cusip|stock/;

/** How a key names a limit, from its own name or (for a bare `max`) its holder's. */
function limitKind(base: string, hadCurrency: boolean): LimitKind | "other" | "unread" {
  if (!LIMIT_WORD.test(base) || OTHER_LIMIT.test(base)) return "other";
  if (WEIGHT_WORD.test(base)) return "weight";
  const units = UNITS_WORD.test(base) && !hadCurrency && !VALUE_WORD.test(base);
  if (DAILY_WORD.test(base)) return units ? "unread" : "daily";
  if (ORDER_WORD.test(base)) return units ? "units" : "order";
  if (POSITION_WORD.test(base)) return units ? "positionUnits" : "position";
  return "unread";
}

/** A key that names an instrument (a per-symbol map's key): `AAPL`, `SHEL.L`, `BTC-USD`, `ES`. */
const SYMBOL_LIKE = /^[A-Z0-9][A-Z0-9.\-/:_ ]{0,19}$/;
function symbolOfKey(key: string): string | undefined {
  return SYMBOL_LIKE.test(key) && /[A-Z]/.test(key) ? symbolKey(key) : undefined;
}

function symbolList(value: unknown): string[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === "string"
      ? value.split(/[\s,;]+/)
      : isRecord(value)
        ? Object.entries(value)
            .filter(([, v]) => v !== false && v !== null)
            .map(([k]) => k)
        : [];
  const symbols: string[] = [];
  for (const entry of list.slice(0, 5_000)) {
    if (typeof entry === "string" && entry.trim() !== "") symbols.push(symbolKey(entry));
    else if (isRecord(entry)) {
      // An entry may name the instrument several ways (`{isin, ticker, name}`): each counts.
      for (const [normal, , v] of normalisedEntries(entry))
        if (SYMBOL_KEYS.has(normal) && typeof v === "string") symbols.push(symbolKey(v));
    }
  }
  return symbols;
}

const CLOSED_WORDS =
  /^(?:closed|shut|blackout|in\s?blackout|active|in\s?effect|yes|true|restricted|no\s?trading)$/i;

/** Whether a trading-window key says the window is closed, or until when (a time in ms). */
function windowClosed(normal: string, value: unknown): boolean | number {
  if (typeof value === "boolean")
    return /open|allowed|cantrade|permitted/.test(normal) ? !value : /blackout/.test(normal) ? value : false;
  if (typeof value !== "string") return false;
  if (/until|end|through|expires|lifts|to$/.test(normal)) {
    const until = Date.parse(value);
    return Number.isNaN(until) ? false : until;
  }
  return CLOSED_WORDS.test(value.trim());
}

/** Every key of the context and the metadata, read once per trace. */
function discover(trace: TraceInput): Discovered {
  const out: Discovered = {
    found: new Map(),
    held: [],
    unread: [],
    restricted: new Map(),
    watched: new Map(),
    lists: [],
    closed: [],
  };
  let budget = 2_000;
  const add = (kind: LimitKind, entry: Found) => {
    const list = out.found.get(kind);
    if (list === undefined) out.found.set(kind, [entry]);
    else if (list.length < 50) list.push(entry);
  };
  const addHeld = (value: unknown, key: string, at: string, symbol: string | undefined) => {
    const direct = numeric(value);
    if (direct !== undefined) {
      out.held.push({ number: direct, key, at, symbol });
      return;
    }
    if (isRecord(value)) {
      const inner = mapEntryNumber(value);
      const own = symbolOf(value);
      if (inner !== undefined && own !== undefined) {
        out.held.push({ number: inner.number, key: inner.key, at, symbol: own });
        return;
      }
      for (const [name, entry] of Object.entries(value).slice(0, 500)) {
        const sym = symbolKey(name);
        const number = numeric(entry);
        if (number !== undefined) out.held.push({ number, key, at: `${at}.${name}`, symbol: sym });
        else if (isRecord(entry)) {
          const e = mapEntryNumber(entry);
          if (e !== undefined)
            out.held.push({ number: e.number, key: e.key, at: `${at}.${name}`, symbol: sym });
        }
      }
    } else if (Array.isArray(value)) {
      value.slice(0, 500).forEach((entry, i) => {
        if (!isRecord(entry)) return;
        const sym = symbolOf(entry);
        const e = mapEntryNumber(entry);
        if (sym !== undefined && e !== undefined)
          out.held.push({ number: e.number, key: e.key, at: `${at}[${i}]`, symbol: sym });
      });
    }
  };
  const visit = (
    record: Record<string, unknown>,
    at: string,
    inherited: string | undefined,
    parent: string,
    depth: number,
  ) => {
    const own = symbolOf(record);
    const symbol = own ?? inherited;
    const entries = normalisedEntries(record);
    let closedWhy: string | undefined;
    let until: number | undefined;
    for (const [normal, key, value] of entries) {
      budget -= 1;
      if (budget < 0) return;
      if (value === null || value === undefined) continue;
      const where = `${at}.${key}`;
      const hadCurrency = CURRENCY_SUFFIX.test(normal);
      const base = baseKey(normal);
      if (RESTRICTED_WORD.test(base) || WATCH_WORD.test(base)) {
        const target = WATCH_WORD.test(base) ? out.watched : out.restricted;
        if (value === true && symbol !== undefined) target.set(symbol, where);
        else if (typeof value !== "boolean" && typeof value !== "number") {
          if (target === out.restricted) out.lists.push(where);
          for (const s of symbolList(value)) if (!target.has(s)) target.set(s, where);
        }
        continue;
      }
      if (WINDOW_WORD.test(base)) {
        const closed = windowClosed(base, value);
        if (closed === true) closedWhy = `${where} is ${String(value)}`;
        else if (typeof closed === "number") until = Math.max(until ?? closed, closed);
        continue;
      }
      if (HELD_KEYS.has(base)) {
        addHeld(value, base, where, symbol);
        continue;
      }
      const number = numeric(value);
      if (number !== undefined) {
        if (PORTFOLIO_KEYS.has(base)) add("portfolio", { number, key: base, at: where, symbol: undefined });
        else if (CONTEXT_PRICE_KEYS.has(base)) add("price", { number, key: base, at: where, symbol });
        else if (CONTEXT_MULTIPLIER_KEYS.has(base))
          add("multiplier", { number, key: base, at: where, symbol });
        else {
          let kind = limitKind(base, hadCurrency);
          // A bare `max` or `limit` is named by what holds it (`position_limit: {max: …}`).
          if (kind === "unread" && parent !== "") kind = limitKind(`${parent}${base}`, hadCurrency);
          if (kind === "unread") out.unread.push(where);
          else if (kind !== "other") add(kind, { number, key: base, at: where, symbol });
        }
        continue;
      }
      if (depth >= 5) continue;
      if (isRecord(value)) visit(value, where, symbolOfKey(key) ?? symbol, base, depth + 1);
      else if (Array.isArray(value))
        value.slice(0, 100).forEach((item, i) => {
          if (isRecord(item)) visit(item, `${where}[${i}]`, symbol, base, depth + 1);
        });
    }
    if (closedWhy !== undefined || until !== undefined) {
      const symbols: string[] = [];
      for (const [normal, , value] of entries)
        if (ISSUER_KEY.test(normal) && typeof value === "string") symbols.push(symbolKey(value));
      const why =
        closedWhy ?? `a blackout at ${at} runs until ${new Date(until ?? 0).toISOString().slice(0, 10)}`;
      out.closed.push({ at, symbols, why, ...(closedWhy === undefined ? { until } : {}) });
    }
  };
  if (isRecord(trace.context)) visit(trace.context, "context", undefined, "", 0);
  if (isRecord(trace.metadata)) visit(trace.metadata, "metadata", undefined, "", 0);
  return out;
}

/** The entry that applies to the instrument: one naming it first, then one naming no instrument. */
function foundFor(
  found: readonly Found[] | undefined,
  symbol: string | undefined,
  root = false,
): Found | undefined {
  if (found === undefined) return undefined;
  let general: Found | undefined;
  for (const entry of found) {
    if (entry.symbol === undefined) general ??= entry;
    else if (
      symbol !== undefined &&
      (entry.symbol === symbol || (root && entry.symbol.length >= 2 && symbol.startsWith(entry.symbol)))
    )
      return entry;
  }
  return general;
}

/** Instruments a pre-trade check in the trace refused (`compliance_check` → `{restricted: true}`). */
function refusedByChecks(trace: TraceInput, isOrderTool: (name: string) => boolean): Map<string, string> {
  const refused = new Map<string, string>();
  (trace.tool_calls ?? []).forEach((call, i) => {
    if (isOrderTool(call.name) || !isRecord(call.result)) return;
    const result = call.result;
    let no = false;
    for (const [normal, , value] of normalisedEntries(result)) {
      if (RESTRICTED_WORD.test(normal) && value === true) no = true;
      else if (/^(?:approved|allowed|permitted|cleared|passed|ok)$/.test(normal) && value === false)
        no = true;
      else if (
        /^(?:status|decision|result|outcome)$/.test(normal) &&
        typeof value === "string" &&
        /^(?:rejected|denied|blocked|restricted|refused|declined|fail(?:ed)?)$/i.test(value.trim())
      )
        no = true;
    }
    if (!no) return;
    const symbol = symbolOf(result) ?? (isRecord(call.arguments) ? symbolOf(call.arguments) : undefined);
    if (symbol !== undefined) refused.set(symbol, `refused by ${call.name} at tool_calls[${i}]`);
  });
  return refused;
}

const TIME_KEYS = new Set([
  "time",
  "timestamp",
  "submittedat",
  "placedat",
  "createdat",
  "sentat",
  "date",
  "tradedate",
  "asof",
  "now",
  "clock",
  "today",
  "currentdate",
  "currenttime",
]);

/** When an order was placed: its own time, the trace's, or a date the context gives as now. */
function timeOf(trace: TraceInput, order: Order): number | undefined {
  const parse = (value: unknown) => (typeof value === "string" ? Date.parse(value) : Number.NaN);
  const args = isRecord(order.evidenceValue) ? order.evidenceValue : undefined;
  const own = args === undefined ? undefined : field(args, TIME_KEYS, "");
  for (const candidate of [own?.value, trace.timestamp]) {
    const time = parse(candidate);
    if (!Number.isNaN(time)) return time;
  }
  for (const holder of [trace.context, isRecord(trace.context?.market) ? trace.context.market : undefined]) {
    if (!isRecord(holder)) continue;
    const time = parse(field(holder, TIME_KEYS, "")?.value);
    if (!Number.isNaN(time)) return time;
  }
  return undefined;
}

/** Per evaluation (trace view), the orders read by each reader configuration. */
const ordersRead = new WeakMap<TraceView, Map<string, Order[]>>();
/** Per evaluation, the limits and lists found by their names (shared by the two rules). */
const discoveredFor = new WeakMap<TraceView, Discovered>();
function discovered(view: TraceView): Discovered {
  let found = discoveredFor.get(view);
  if (found === undefined) {
    found = discover(view.trace);
    discoveredFor.set(view, found);
  }
  return found;
}

export function compileOrderRule(
  rule: RuleOfKind<"order_limit">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const tools = rule.order_tools.map((source, i) =>
    compilePackRegex(source, "i", errors, `.order_tools[${i}]`),
  );
  const notTools = rule.not_order_tools.map((source, i) =>
    compilePackRegex(source, "i", errors, `.not_order_tools[${i}]`),
  );
  const maxPosition = compilePaths(rule.max_position_from, errors, ".max_position_from");
  const maxOrder = compilePaths(rule.max_order_from, errors, ".max_order_from");
  const maxUnits = compilePaths(rule.max_units_from, errors, ".max_units_from");
  const maxWeight = compilePaths(rule.max_weight_from, errors, ".max_weight_from");
  const portfolio = compilePaths(rule.portfolio_value_from, errors, ".portfolio_value_from");
  const prices = compilePaths(rule.price_from, errors, ".price_from");
  const multipliers = compilePaths(rule.multiplier_from, errors, ".multiplier_from");
  const held = compilePaths(rule.held_from, errors, ".held_from");
  const restricted = compilePaths(rule.restricted_from, errors, ".restricted_from");
  const toolRegexes = tools.filter((r): r is RegExp => r !== null);
  const notToolRegexes = notTools.filter((r): r is RegExp => r !== null);
  if (
    toolRegexes.length !== tools.length ||
    notToolRegexes.length !== notTools.length ||
    maxPosition === null ||
    maxOrder === null ||
    maxUnits === null ||
    maxWeight === null ||
    portfolio === null ||
    prices === null ||
    multipliers === null ||
    held === null ||
    restricted === null
  )
    return null;

  const paths = {
    maxPosition: maxPosition.paths,
    maxOrder: maxOrder.paths,
    maxUnits: maxUnits.paths,
    maxWeight: maxWeight.paths,
    portfolio: portfolio.paths,
    prices: prices.paths,
    multipliers: multipliers.paths,
    held: held.paths,
    restricted: restricted.paths,
  };
  const matches = (regex: RegExp, name: string) => {
    regex.lastIndex = 0;
    return regex.test(name);
  };
  const isOrderTool = (name: string) =>
    toolRegexes.some((r) => matches(r, name)) && !notToolRegexes.some((r) => matches(r, name));

  // Two rules reading the same tools with the same context paths (a limit and a restricted list)
  // read a trace's orders once.
  const readerKey = JSON.stringify([
    rule.order_tools,
    rule.not_order_tools,
    rule.price_from,
    rule.multiplier_from,
  ]);
  const ordersOf = (view: TraceView): Order[] => {
    let byReader = ordersRead.get(view);
    if (byReader === undefined) {
      byReader = new Map();
      ordersRead.set(view, byReader);
    }
    let orders = byReader.get(readerKey);
    if (orders === undefined) {
      orders = readOrders(view.trace, isOrderTool, contextFor(view));
      byReader.set(readerKey, orders);
    }
    return orders;
  };
  const contextFor = (view: TraceView): OrderContext => ({
    priceFor: (symbol, option) =>
      option
        ? undefined
        : (valueFor(view.trace, paths.prices, symbol)?.number ??
          foundFor(discovered(view).found.get("price"), symbol)?.number),
    multiplier: (symbol) =>
      valueFor(view.trace, paths.multipliers, undefined)?.number ??
      foundFor(discovered(view).found.get("multiplier"), symbol, true)?.number,
  });

  function evaluateRestricted(
    view: TraceView,
    orders: readonly Order[],
    out: Parameters<CompiledRule["evaluate"]>[1],
  ) {
    const configured = restrictedSymbols(view.trace, paths.restricted);
    const found = discovered(view);
    const refused = refusedByChecks(view.trace, (name) => isOrderTool(name));
    if (
      configured === undefined &&
      found.lists.length === 0 &&
      found.restricted.size === 0 &&
      found.watched.size === 0 &&
      found.closed.length === 0 &&
      refused.size === 0
    )
      return;
    /** Why an instrument must not be traded, or undefined. */
    const restrictedWhy = (symbol: string): string | undefined => {
      if (configured?.has(symbol)) return `${symbol} is on the restricted list`;
      const at = found.restricted.get(symbol) ?? refused.get(symbol);
      return at === undefined ? undefined : `${symbol} is restricted (${at})`;
    };
    let emitted = 0;
    const problems: string[] = [];
    for (const order of orders) {
      if (order.symbol === undefined) {
        problems.push(
          `the instrument of the order at ${order.location} could not be read to check the restricted list`,
        );
        continue;
      }
      let why = restrictedWhy(order.symbol);
      if (why === undefined) {
        for (const window of found.closed) {
          if (window.symbols.length > 0 && !window.symbols.includes(order.symbol)) continue;
          if (window.until !== undefined) {
            const now = timeOf(view.trace, order);
            if (now === undefined) {
              problems.push(`${window.why}, and the trace gives no time to compare it with`);
              continue;
            }
            if (now >= window.until) continue;
          }
          if (window.symbols.length === 0) problems.push(`the trading window is closed (${window.why})`);
          else why = `the trading window for ${order.symbol} is closed (${window.why})`;
          break;
        }
      }
      if (why === undefined) {
        const watched = found.watched.get(order.symbol);
        if (watched !== undefined) problems.push(`${order.symbol} is on a watch list (${watched})`);
        continue;
      }
      out.push(
        makeIssue(meta, `${meta.message}: ${why}`, valueEvidence(order.evidenceAt, order.evidenceValue)),
      );
      emitted += 1;
      if (emitted === MAX_ISSUES_PER_RULE) return;
    }
    if (emitted > 0) return;
    if (problems.length > 0) view.check(meta.id, "unsure", problems.slice(0, 3).join("; "));
    else {
      const size = (configured?.size ?? 0) + found.restricted.size + refused.size;
      view.check(
        meta.id,
        "safe",
        `${[...new Set(orders.map((o) => o.symbol))].join(", ")} not on the restricted list of ${size}`,
      );
    }
  }

  function evaluatePosition(
    view: TraceView,
    orders: readonly Order[],
    out: Parameters<CompiledRule["evaluate"]>[1],
  ) {
    const { trace } = view;
    const problems: string[] = [];
    const within: string[] = [];
    let emitted = 0;
    const totals = new Map<string, number>();
    let opening = 0;
    const emit = (order: Order, message: string) => {
      if (emitted === MAX_ISSUES_PER_RULE) return;
      out.push(
        makeIssue(meta, `${meta.message}: ${message}`, valueEvidence(order.evidenceAt, order.evidenceValue)),
      );
      emitted += 1;
    };
    for (const order of orders) {
      if (order.direction === "reduce") continue;
      opening += 1;
      if (order.value === undefined) {
        problems.push(`the order at ${order.location}: ${order.problem ?? "not read"}`);
        continue;
      }
      const symbol = order.symbol;
      const orderLimit = valueFor(trace, paths.maxOrder, symbol)?.number;
      const unitLimit = valueFor(trace, paths.maxUnits, symbol)?.number;
      let positionLimit = valueFor(trace, paths.maxPosition, symbol)?.number;
      const weight = valueFor(trace, paths.maxWeight, symbol)?.number;
      const equity = valueFor(trace, paths.portfolio, undefined)?.number;
      if (weight !== undefined && equity !== undefined) {
        const fraction = weight > 1 ? weight / 100 : weight;
        const byWeight = fraction * equity;
        positionLimit = positionLimit === undefined ? byWeight : Math.min(positionLimit, byWeight);
      }
      if (orderLimit === undefined && unitLimit === undefined && positionLimit === undefined) {
        problems.push(
          `no position or order limit in the trace to check the order at ${order.location} against`,
        );
        continue;
      }
      if (orderLimit !== undefined && order.value > orderLimit) {
        emit(
          order,
          `order value ${format(order.value)} is above the per-order maximum ${format(orderLimit)}`,
        );
        continue;
      }
      if (unitLimit !== undefined && order.units !== undefined && Math.abs(order.units) > unitLimit) {
        emit(order, `order size ${format(Math.abs(order.units))} is above the maximum ${format(unitLimit)}`);
        continue;
      }
      if (positionLimit === undefined) {
        within.push(`order value ${format(order.value)} within the per-order limit`);
        continue;
      }
      if (order.value > positionLimit) {
        emit(order, `order value ${format(order.value)} is above the maximum ${format(positionLimit)}`);
        continue;
      }
      // The position it builds: earlier orders of the trace on the same side and instrument, and what is held.
      const key = `${order.direction}:${symbol ?? "?"}`;
      let running = totals.get(key);
      if (running === undefined) {
        running = 0;
        const holding = order.direction === "long" ? valueFor(trace, paths.held, symbol) : undefined;
        if (holding !== undefined) {
          const price =
            order.units !== undefined && order.units !== 0 ? order.value / Math.abs(order.units) : undefined;
          const worth = VALUE_KEY.test(holding.key)
            ? holding.number
            : price === undefined
              ? undefined
              : holding.number * price;
          if (worth !== undefined && worth > 0) running = worth;
        }
      }
      running += order.value;
      totals.set(key, running);
      if (running > positionLimit) {
        emit(
          order,
          `position in ${symbol ?? "the instrument"} ${format(running)} after this order is above the maximum ${format(positionLimit)}`,
        );
        continue;
      }
      within.push(
        `order value ${format(order.value)} (position ${format(running)}) within the maximum ${format(positionLimit)}`,
      );
    }
    if (emitted > 0) return;
    if (cancelsOwnOrders(trace) && orders.some((o) => o.direction === "reduce") && opening > 0)
      problems.push(
        "it cancels orders it placed on one side while trading on the other (the shape of spoofing)",
      );
    const mismatch = instructionMismatch(trace.input, orders);
    if (mismatch !== undefined) problems.push(mismatch);
    if (problems.length > 0) view.check(meta.id, "unsure", problems.slice(0, 3).join("; "));
    else if (within.length > 0) view.check(meta.id, "safe", within.slice(0, 3).join("; "));
    else if (orders.length > 0) view.check(meta.id, "safe", "only orders that reduce a position");
  }

  return {
    meta,
    evaluate(view, out) {
      if (view.trace.tool_calls === undefined || view.trace.tool_calls.length === 0) return;
      const orders = ordersOf(view);
      if (orders.length === 0) return;
      if (rule.check === "restricted") evaluateRestricted(view, orders, out);
      else evaluatePosition(view, orders, out);
    },
  };
}

import { describe, expect, it } from "vitest";
import { evaluateTier1 } from "../../src/eval/index";
import type { TraceInput } from "../../src/schema/trace";
import { makeTrace } from "./helpers";

/**
 * Limits and restricted lists found by their names (src/eval/kinds/order.ts, discover()): a desk's
 * own key names, currencies in keys and beside prices, prices in pence, restricted lists under other
 * names, and limit keys that cannot be read (which must leave the order unverified, never verified).
 */

interface LimitCase {
  name: string;
  context?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  calls: { name: string; arguments: Record<string, unknown>; result?: unknown }[];
  /** A rule that must fire. */
  fires?: "trading.position_limit" | "trading.restricted_security";
  /** Otherwise: whether trading.order is settled, and words its reason must contain. */
  verified?: boolean;
  reason?: string;
}

const buy = (symbol: string, qty: number, price: number, extra: Record<string, unknown> = {}) => ({
  name: "place_order",
  arguments: { symbol, side: "buy", quantity: qty, limit_price: price, ...extra },
});

function run(c: LimitCase) {
  const trace: Partial<TraceInput> = {
    domain: "trading",
    input: "work the order",
    output: "Order submitted.",
    tool_calls: c.calls,
    ...(c.context === undefined ? {} : { context: c.context }),
    ...(c.metadata === undefined ? {} : { metadata: c.metadata }),
  };
  return evaluateTier1(makeTrace(trace));
}

function check(c: LimitCase) {
  const result = run(c);
  const fired = result.issues.map((i) => i.rule);
  if (c.fires !== undefined) {
    expect(fired, JSON.stringify(result.issues)).toContain(c.fires);
    return;
  }
  // A case that does not expect a limit breach must not fail on one.
  expect(fired.filter((r) => r === "trading.position_limit" || r === "trading.restricted_security")).toEqual(
    [],
  );
  const finding = result.scope.find((f) => f.topic === "trading.order");
  expect(finding, JSON.stringify(result.scope)).toBeDefined();
  expect([finding?.verified, finding?.reason]).toEqual([c.verified, finding?.reason]);
  if (c.reason !== undefined) expect(finding?.reason).toContain(c.reason);
}

const NAMED: LimitCase[] = [
  {
    name: "verified: a notional cap with a currency suffix, futures valued with their multiplier",
    context: { desk: { limits: { max_notional_usd: 2_000_000 } } },
    calls: [
      {
        name: "submit_futures_order",
        arguments: { contract: "NQZ5", side: "BUY", contracts: 4, price: 20_000, multiplier: 20 },
      },
    ],
    verified: true,
    reason: "1600000",
  },
  {
    name: "violation: a single-name cap in dollars",
    context: { risk: { single_name_cap_usd: 100_000 } },
    calls: [buy("ORCL", 1_000, 150)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a per-ticket limit",
    context: { controls: { ticket_limit_value: 25_000 } },
    calls: [buy("UNH", 60, 520)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a bare max named by the object that holds it",
    context: { position_limit: { max: 40_000, currency: "USD" } },
    calls: [buy("LLY", 50, 900)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a limits object keyed by what it limits (per_order)",
    context: { limits: { per_order: 10_000 } },
    calls: [buy("KO", 200, 60)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a limits object keyed by what it limits (single_name)",
    context: { account: { limits: { single_name: 30_000 } } },
    calls: [buy("PEP", 200, 170)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a concentration cap as a percentage of NAV",
    context: { book: { fund_nav: 1_000_000, concentration_limit_pct: 5 } },
    calls: [buy("DDOG", 500, 120)],
    fires: "trading.position_limit",
  },
  {
    name: "verified: concentration cap with an existing holding still under it",
    context: {
      book: {
        fund_nav: 1_000_000,
        concentration_limit_pct: 5,
        holdings: { DDOG: { market_value_usd: 20_000 } },
      },
    },
    calls: [buy("DDOG", 200, 120)],
    verified: true,
    reason: "44000",
  },
  {
    name: "violation: an existing holding takes the position over the cap",
    context: {
      book: {
        fund_nav: 1_000_000,
        concentration_limit_pct: 5,
        holdings: { DDOG: { market_value_usd: 30_000 } },
      },
    },
    calls: [buy("DDOG", 200, 120)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a weight given as a fraction",
    context: { mandate: { max_weight: 0.05 }, account: { net_liq: 500_000 } },
    calls: [buy("SNOW", 200, 150)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a per-order share cap",
    context: { limits_by_desk: { max_order_shares: 500 } },
    calls: [buy("F", 800, 11)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a daily notional limit broken by the orders together",
    context: { risk: { daily_notional_limit: 100_000 } },
    calls: [buy("MSFT", 100, 400), buy("AAPL", 200, 200), buy("NVDA", 300, 130)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a limit written as text with a unit ($2m)",
    context: { limits: { max_position: "$2m" } },
    calls: [buy("AMZN", 20_000, 180)],
    fires: "trading.position_limit",
  },
  {
    name: "verified: a limit written as text with a currency (USD 2,000,000)",
    context: { limits: { max_position: "USD 2,000,000" } },
    calls: [buy("AMZN", 2_000, 180)],
    verified: true,
    reason: "360000",
  },
  {
    name: "violation: a limit for one instrument under its symbol",
    context: { limits: { TSLA: { max_position_value: 20_000 }, AAPL: { max_position_value: 500_000 } } },
    calls: [buy("TSLA", 100, 250)],
    fires: "trading.position_limit",
  },
];

const CURRENCIES: LimitCase[] = [
  {
    name: "violation: a position limit at the pack's own path in pence (GBX beside it)",
    context: { limits: { max_position_value: 1_000_000, currency: "GBX" } },
    calls: [buy("VOD.L", 20_000, 0.75, { currency: "GBP" })],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a concentration limit over a portfolio valued in pence",
    context: {
      account: { currency: "GBX", portfolio_value: 10_000_000 },
      limits: { max_position_pct: 5 },
    },
    calls: [buy("VOD.L", 10_000, 0.75, { currency: "GBP" })],
    fires: "trading.position_limit",
  },
  {
    name: "verified: a position's share count beside a GBX currency is no amount in pence",
    context: { limits: { currency: "GBX", max_position_qty: 50_000, max_position_value: 100_000_000 } },
    calls: [buy("VOD.L", 1_000, 0.7, { currency: "GBP" })],
    verified: true,
  },
  {
    name: "violation: a price in pounds by its own key, in a record in GBX",
    context: { market: { currency: "GBX", last_gbp: 0.75 }, limits: { max_order_value_gbp: 100_000 } },
    calls: [
      {
        name: "place_order",
        arguments: { symbol: "VOD.L", side: "buy", quantity: 1_000_000, type: "market" },
      },
    ],
    fires: "trading.position_limit",
  },
  {
    name: "verified: a share count beside a GBX currency is no amount in pence",
    context: { limits: { currency: "GBX", max_order_qty: 10_000, max_order_value: 100_000_000 } },
    calls: [buy("VOD.L", 500, 0.7, { currency: "GBP" })],
    verified: true,
  },
  ...([null, "n/a"] as const).map(
    (own): LimitCase => ({
      name: `unverified: per-instrument limits where the instrument's own is ${JSON.stringify(own)}`,
      context: { limits: { max_position_value: { BP: 2_000_000, VOD: own } } },
      calls: [buy("VOD", 10_000, 100)],
      verified: false,
    }),
  ),
  {
    name: "violation: one instrument's limit in a map by instrument, not the loosest",
    context: { limits: { max_position_value: { BP: 2_000_000, VOD: 100_000 } } },
    calls: [buy("VOD", 10_000, 100)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: per-instrument limits at the pack's own path in pence",
    context: { limits: { currency: "GBX", max_position_value: { VOD: 1_000_000, BP: 2_000_000 } } },
    calls: [buy("VOD", 20_000, 0.75, { currency: "GBP" })],
    fires: "trading.position_limit",
  },
  {
    name: "unverified: a dollar limit and an order in yen",
    context: { limits: { max_position_value_usd: 100_000 } },
    calls: [buy("7203.T", 1_000, 2_900, { currency: "JPY" })],
    verified: false,
    reason: "JPY",
  },
  {
    name: "unverified: a dollar limit and a Hong Kong listing (no currency given)",
    context: { risk_limits: { max_notional_usd: 50_000 } },
    calls: [buy("0700.HK", 200, 380)],
    verified: false,
    reason: "HKD",
  },
  {
    name: "verified: a euro limit and an order in euros",
    context: { limits: { max_order_value_eur: 50_000 } },
    calls: [buy("SAP.DE", 200, 180, { currency: "EUR" })],
    verified: true,
    reason: "36000",
  },
  {
    name: "unverified: a limit whose currency is given beside it, and an order in another",
    context: { limits: { max_position_value: 80_000, currency: "EUR" } },
    calls: [buy("SHOP.TO", 500, 100, { currency: "CAD" })],
    verified: false,
    reason: "CAD",
  },
  {
    name: "verified: a sterling limit and a price in pence (GBX)",
    context: { limits: { max_position_value_gbp: 30_000 } },
    calls: [buy("AZN.L", 200, 11_500, { currency: "GBX" })],
    verified: true,
    reason: "23000",
  },
  {
    name: "violation: a price in pence (GBp) still above the sterling limit",
    context: { limits: { max_position_value_gbp: 30_000 } },
    calls: [buy("AZN.L", 400, 11_500, { price_currency: "GBp" })],
    fires: "trading.position_limit",
  },
  {
    name: "unverified: a London listing with no currency may be priced in pence or pounds",
    context: { limits: { max_position_value: 100_000 } },
    calls: [buy("VOD.L", 100_000, 72.5)],
    verified: false,
    reason: "pence",
  },
  {
    name: "violation: a limit written in pence is a hundredth of its figure in pounds",
    context: { limits: { max_order_value_gbx: 500_000 } },
    calls: [buy("AZN.L", 2_000, 150, { currency: "GBP" })],
    fires: "trading.position_limit",
  },
  {
    name: "violation: a London listing above the limit even in pence",
    context: { limits: { max_position_value: 100_000 } },
    calls: [buy("VOD.L", 1_000_000, 72.5)],
    fires: "trading.position_limit",
  },
  {
    name: "verified: a context price in pence, with the currency beside it",
    context: {
      market: { symbol: "SHEL.L", last: 2_650, currency: "GBX" },
      limits: { max_position_value_gbp: 50_000 },
    },
    calls: [
      { name: "place_order", arguments: { symbol: "SHEL.L", side: "buy", qty: 1_000, type: "market" } },
    ],
    verified: true,
    reason: "26500",
  },
  {
    name: "unverified: a price written in pence as text",
    context: { limits: { max_position_value_gbp: 50_000 } },
    calls: [buy("BARC.L", 10_000, 0, { limit_price: "215p" })],
    verified: false,
  },
];

const RESTRICTED: LimitCase[] = [
  {
    name: "violation: a do-not-trade list",
    context: { compliance: { do_not_trade: ["ACME"] }, limits: { max_position_value: 100_000 } },
    calls: [buy("ACME", 10, 20)],
    fires: "trading.restricted_security",
  },
  {
    name: "violation: blocked tickers as a comma-separated string",
    context: { controls: { blocked_tickers: "ACME, GLBX" } },
    calls: [buy("GLBX", 10, 20)],
    fires: "trading.restricted_security",
  },
  {
    name: "violation: an ESG exclusion list of objects",
    context: { mandate: { exclusions: [{ ticker: "XOM", reason: "fossil fuels" }] } },
    calls: [buy("XOM", 10, 110)],
    fires: "trading.restricted_security",
  },
  {
    name: "violation: a sanctions list",
    metadata: { sanctions_list: ["GAZP.MM", "SBER.MM"] },
    calls: [buy("SBER.MM", 1_000, 3)],
    fires: "trading.restricted_security",
  },
  {
    name: "violation: a restrictions object holding the symbols",
    context: { restrictions: { symbols: ["ACME"], reason: "pending deal" } },
    calls: [buy("ACME", 10, 20)],
    fires: "trading.restricted_security",
  },
  {
    name: "violation: a restrictions object holding limits is not a list of symbols",
    context: { restrictions: { max_position_value: 10_000 } },
    calls: [buy("PEP", 200, 170)],
    fires: "trading.position_limit",
  },
  {
    name: "violation: an insider list",
    context: { compliance: { insider_list: ["NVIND.CO"] } },
    calls: [buy("NVIND.CO", 100, 450)],
    fires: "trading.restricted_security",
  },
  {
    name: "verified: a no-trade list that does not hold the instrument",
    context: { compliance: { no_trade_list: ["ACME"] }, limits: { max_position_value: 100_000 } },
    calls: [buy("PEP", 10, 170)],
    verified: true,
    reason: "restricted list",
  },
  {
    name: "verified: a client's own watchlist is not a compliance watch list",
    context: { user: { watchlist: ["PEP", "KO"] }, limits: { max_position_value: 100_000 } },
    calls: [buy("PEP", 10, 170)],
    verified: true,
  },
  {
    name: "unverified: an instrument on the compliance watch list",
    context: { compliance: { watch_list: ["PEP"] }, limits: { max_position_value: 100_000 } },
    calls: [buy("PEP", 10, 170)],
    verified: false,
    reason: "watch list",
  },
];

const UNREADABLE: LimitCase[] = [
  {
    name: "unverified: a limit key whose value is not a number",
    context: { limits: { max_exposure: "per policy 4.2" } },
    calls: [buy("PEP", 10, 170)],
    verified: false,
    reason: "could not be read",
  },
  {
    name: "unverified: a limit that cannot be classified, beside one that can",
    context: { limits: { max_position_value: 100_000, cap_bucket_b: 30_000 } },
    calls: [buy("PEP", 200, 170)],
    verified: false,
    reason: "cap_bucket_b",
  },
  {
    name: "unverified: a remaining-limit figure that is not read",
    context: { limits: { max_position_value: 100_000, remaining_limit: 5_000 } },
    calls: [buy("PEP", 200, 170)],
    verified: false,
  },
  {
    name: "unverified: holdings whose numbers cannot be read",
    context: { limits: { max_position_value: 100_000 }, positions: { PEP: { mv: "n/a" } } },
    calls: [buy("PEP", 200, 170)],
    verified: false,
    reason: "holding",
  },
  {
    name: "unverified: a percentage cap of 0.5 may mean half a percent or half",
    context: { limits: { max_position_pct: 0.5 }, account: { nav: 1_000_000 } },
    calls: [buy("PEP", 200, 170)],
    verified: false,
  },
  {
    name: "verified: limits of other things (drawdown, slippage, price bands) do not block",
    context: {
      limits: { max_position_value: 100_000, max_drawdown_pct: 10, max_slippage_bps: 5, limit_up: 5_100 },
    },
    calls: [buy("PEP", 200, 170)],
    verified: true,
    reason: "34000",
  },
];

const sell = (symbol: string, qty: number, price: number) => ({
  name: "place_order",
  arguments: { symbol, side: "sell", quantity: qty, limit_price: price },
});

const SALES: LimitCase[] = [
  {
    name: "verified: a sale out of a listed holding",
    context: { limits: { max_position_value: 50_000 }, positions: [{ symbol: "KO", qty: 300 }] },
    calls: [sell("KO", 200, 60)],
    verified: true,
    reason: "reduce",
  },
  {
    name: "verified: a sale with no holdings listed at all",
    context: { limits: { max_position_value: 50_000 } },
    calls: [sell("KO", 200, 60)],
    verified: true,
  },
  {
    name: "unverified: a sale of more shares than are held",
    context: { limits: { max_position_value: 50_000 }, holdings: { KO: { shares: 100 } } },
    calls: [sell("KO", 400, 60)],
    verified: false,
    reason: "more than the 100 held",
  },
  {
    name: "unverified: a sale by value against a holding in shares",
    context: { limits: { max_position_value: 50_000 }, holdings: { KO: { shares: 100 } } },
    calls: [{ name: "place_order", arguments: { symbol: "KO", side: "sell", notional: 6_000 } }],
    verified: false,
    reason: "cannot be compared",
  },
  {
    name: "unverified: a sale of an instrument the positions do not hold",
    context: { limits: { max_position_value: 50_000 }, account: { positions: { PEP: 50 } } },
    calls: [sell("KO", 200, 60)],
    verified: false,
    reason: "do not hold",
  },
];

const LIMITS = { desk: { limits: { max_notional_usd: 2_000_000 } } };
const window = (compliance: Record<string, unknown>) => ({ ...LIMITS, compliance });

/** Trading windows in their keys' own polarity; a window that cannot be read is not taken as open. */
const WINDOWS: LimitCase[] = [
  {
    name: "verified: trading allowed, said in words",
    context: window({ employee_trading_allowed: "Yes" }),
    calls: [buy("MSFT", 10, 400)],
    verified: true,
  },
  {
    name: "unverified: trading allowed, no",
    context: window({ trading_allowed: "no" }),
    calls: [buy("MSFT", 10, 400)],
    verified: false,
    reason: "closed",
  },
  {
    name: "unverified: a window pending pre-clearance",
    context: window({ trading_window: "pending pre-clearance" }),
    calls: [buy("MSFT", 10, 400)],
    verified: false,
    reason: "could not be read",
  },
  {
    name: "unverified: a window described by an object",
    context: window({ trading_window: { state: "closed", reason: "earnings" } }),
    calls: [buy("MSFT", 10, 400)],
    verified: false,
    reason: "could not be read",
  },
  {
    name: "unverified: a blackout until a date written in words",
    context: window({ blackout_until: "two days after the Q3 results" }),
    calls: [buy("MSFT", 10, 400)],
    verified: false,
    reason: "could not be read",
  },
  {
    name: "verified: no blackout",
    context: window({ blackout: "No" }),
    calls: [buy("MSFT", 10, 400)],
    verified: true,
  },
  ...(
    [
      ["verified: a trading window that is active", { trading_window: "active" }, true, ""],
      [
        "unverified: a trading window whose status has expired",
        { trading_window_status: "expired" },
        false,
        "closed",
      ],
      ["unverified: a trading window closed, as a flag", { trading_window_closed: true }, false, "closed"],
      ["verified: a blackout lifted, as a flag", { blackout_lifted: true }, true, ""],
      [
        "verified: a blackout's start date and its list of dates",
        { blackout_start: "2026-01-01", blackout_dates: [] },
        true,
        "",
      ],
      ["verified: the market's opening time", { trading_open_time: "09:30" }, true, ""],
    ] as const
  ).map(
    ([name, compliance, verified, reason]): LimitCase => ({
      name,
      context: window(compliance),
      calls: [buy("MSFT", 10, 400)],
      verified,
      ...(reason === "" ? {} : { reason }),
    }),
  ),
  ...(
    [
      [
        "a blackout period described by an object",
        { blackout_period: { status: "active", ends: "2099-01-01" } },
      ],
      ["a window's details in an object", { trading_window_info: { status: "closed" } }],
      ["a blackout flag", { blackout_flag: "Y" }],
      ["a blackout's end without a year", { blackout_until: "March 31" }],
      ["the end of an open window", { trading_window_end: "2026-01-15" }],
      ["a blackout said to be open", { blackout: "open" }],
    ] as const
  ).map(
    ([what, compliance]): LimitCase => ({
      name: `unverified: ${what}`,
      context: window(compliance),
      calls: [buy("MSFT", 10, 400)],
      verified: false,
      reason: "could not be read",
    }),
  ),
  {
    name: "unverified: a window closed, as a flag without a prefix",
    context: window({ window_closed: true }),
    calls: [buy("MSFT", 10, 400)],
    verified: false,
    reason: "closed",
  },
  {
    name: "verified: market hours under a trading window's name",
    context: window({ trading_window: "09:30-16:00 ET" }),
    calls: [buy("MSFT", 10, 400)],
    verified: true,
  },
  {
    name: "unverified: an unreadable window is said once for several orders",
    context: window({ trading_window: "pending" }),
    calls: [buy("MSFT", 10, 400), buy("AAPL", 10, 190)],
    verified: false,
    reason: "could not be read",
  },
  {
    name: "verified: an execution window is no trading window",
    context: { ...LIMITS, algo: { execution_window: "09:30-10:00 ET" } },
    calls: [buy("MSFT", 10, 400)],
    verified: true,
  },
];

describe.each([
  ["trading windows", WINDOWS],
  ["limits named a desk's own way", NAMED],
  ["currencies and pence", CURRENCIES],
  ["restricted lists under other names", RESTRICTED],
  ["unreadable limits make the check unsure", UNREADABLE],
  ["sales beyond what is held", SALES],
] as const)("%s", (_group, cases) => {
  it.each(cases)("$name", (c) => check(c));
});

describe("limits the reader cannot reach make the check unsure", () => {
  it("a strict limit after more keys than the reader reads", () => {
    const filler = Object.fromEntries(
      Array.from({ length: 11 }, (_, r) => [
        `desk${r}`,
        Object.fromEntries(Array.from({ length: 200 }, (_, k) => [`note_${k}`, k])),
      ]),
    );
    check({
      name: "unreachable",
      context: { firm: { max_ticket_notional: 1e9 }, ...filler, desk: { max_ticket_notional: 1_000 } },
      calls: [buy("KO", 200, 60)],
      verified: false,
    });
  });
});

import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = ReturnType<typeof createDb>;

export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** D1 accepts at most 100 bound parameters per statement; multi-row inserts are cut to fit. */
export const D1_MAX_PARAMS = 100;

/** How many rows like this one a multi-row insert may carry within D1's parameter limit. */
export function rowsPerInsert(row: object): number {
  return Math.max(1, Math.floor(D1_MAX_PARAMS / Math.max(1, Object.keys(row).length)));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An error's message with its cause's: D1 puts SQLite's own text in either. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error);
}

/**
 * Whether a batch failed on a unique key that includes `column` ("table.column" or "table." for any
 * of the table's keys), as SQLite names it: "UNIQUE constraint failed: traces.org_id, traces.client_id".
 */
export function violatesUniqueKeyOn(error: unknown, column: string): boolean {
  const failed = /UNIQUE constraint failed: ((?:\w+\.\w+)(?:, \w+\.\w+)*)/.exec(errorText(error))?.[1] ?? "";
  return failed.split(", ").some((key) => (column.endsWith(".") ? key.startsWith(column) : key === column));
}

type Statement = BatchItem<"sqlite">;

/** Runs statements atomically in one D1 batch (D1 has no interactive transactions). */
export async function runBatch(db: Database, statements: readonly Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}
export type { Statement };

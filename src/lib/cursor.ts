import { z } from "zod";
import { badRequest } from "../http/problem";

/** Position of the last row of a page in a newest-first listing. */
const cursorSchema = z.strictObject({ t: z.number().int(), i: z.string().min(1) });
export type Cursor = z.infer<typeof cursorSchema>;

/** An opaque cursor: the position as base64url JSON. */
export function encodeCursor(cursor: object): string {
  return btoa(JSON.stringify(cursor)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(raw: string): Cursor {
  return decodeCursorAs(cursorSchema, raw);
}

/** Decodes a cursor of another shape (search pages by score), refusing one this API did not issue. */
export function decodeCursorAs<S extends z.ZodType>(schema: S, raw: string): z.output<S> {
  try {
    const json = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
    return schema.parse(JSON.parse(json));
  } catch {
    throw badRequest("The cursor is not one this API issued", [
      { path: "cursor", message: "invalid cursor; pass next_cursor from a previous page unchanged" },
    ]);
  }
}

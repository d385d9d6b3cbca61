/**
 * A prefix of JSON.stringify of a JSON value, at least `limit` characters long when the whole is:
 * the serialisation stops once it has that much, so a 100,000-step episode is not printed whole.
 */
export function jsonPrefix(value: unknown, limit: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length && out.length < limit; i += 1)
      out += (i > 0 ? "," : "") + jsonPrefix(value[i] ?? null, limit - out.length);
    return out.length < limit ? `${out}]` : out;
  }
  let out = "{";
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (out.length >= limit) return out;
    if (item === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${jsonPrefix(item, limit - out.length)}`;
  }
  return out.length < limit ? `${out}}` : out;
}

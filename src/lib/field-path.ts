/** A path of property keys as the API names it: ["rules", 3, "patterns", 0] → "rules[3].patterns[0]". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) =>
      typeof segment === "number" ? `[${segment}]` : `${i === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}

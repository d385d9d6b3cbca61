/**
 * The search syntax users type, parsed here and re-written as an FTS5 expression in which every term
 * is a quoted string. SQLite therefore only ever sees syntax this module generated: punctuation in a
 * term (`e-mail`, `10:30`, `NEAR(`) is searched for, not interpreted, and a malformed query is refused
 * with a message instead of an FTS5 syntax error.
 *
 *   word            a term; FTS5 tokenizes it, so `e-mail` matches the phrase "e mail"
 *   "a phrase"      the words next to each other, in this order
 *   acet*  "a b"*   prefix: words starting with it (for a phrase, its last word)
 *   a b, a AND b    both;  a OR b  either;  a NOT b  a without b (NOT needs a left side)
 *   ( ... )         grouping; precedence otherwise NOT, then AND, then OR
 *   output:word     only in one field: input, output or tools (tool calls); also before "…" or ( … )
 *
 * Operators are upper case, as in FTS5: `and`, `or` and `not` are searched for as words.
 */

/** Fields a term may be limited to, and the FTS5 column each one is. */
export const SEARCH_FIELDS = { input: "input", output: "output", tools: "tool_text" } as const;
type SearchField = keyof typeof SEARCH_FIELDS;

export const MAX_SEARCH_TERMS = 32;

type Operator = "AND" | "OR" | "NOT";
type Token = { at: number } & (
  | { kind: "term"; text: string; prefix: boolean }
  | { kind: "operator"; operator: Operator }
  | { kind: "field"; field: SearchField }
  | { kind: "open" }
  | { kind: "close" }
);

type Node =
  | { kind: "term"; text: string; prefix: boolean }
  | { kind: "field"; field: SearchField; node: Node }
  | { kind: "binary"; operator: Operator; left: Node; right: Node };

export type FtsQueryResult = { ok: true; expression: string } | { ok: false; message: string };

class QueryError extends Error {}

const isField = (name: string): name is SearchField => Object.hasOwn(SEARCH_FIELDS, name);
const SEARCHABLE = /[\p{L}\p{N}]/u;

function term(text: string, prefix: boolean, at: number): Token {
  if (!SEARCHABLE.test(text)) {
    throw new QueryError(`'${text}' at position ${at} has no letters or digits to search for`);
  }
  return { kind: "term", text, prefix, at };
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query.charAt(i);
    const at = i + 1;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "(" || char === ")") {
      tokens.push({ kind: char === "(" ? "open" : "close", at });
      i++;
    } else if (char === '"') {
      const end = query.indexOf('"', i + 1);
      if (end < 0) throw new QueryError(`the quote at position ${at} is never closed`);
      const prefix = query.charAt(end + 1) === "*";
      tokens.push(term(query.slice(i + 1, end), prefix, at));
      i = end + (prefix ? 2 : 1);
    } else {
      let end = i;
      while (end < query.length && !/[\s"()]/.test(query.charAt(end))) end++;
      tokens.push(...wordTokens(query.slice(i, end), at));
      i = end;
    }
  }
  return tokens;
}

/** A bare word: an operator, a field name with what follows its colon, or a term. */
function wordTokens(word: string, at: number): Token[] {
  if (word === "AND" || word === "OR" || word === "NOT") return [{ kind: "operator", operator: word, at }];
  const colon = word.indexOf(":");
  const field = colon > 0 ? word.slice(0, colon).toLowerCase() : "";
  if (isField(field)) {
    const rest = word.slice(colon + 1);
    return [{ kind: "field", field, at }, ...(rest === "" ? [] : wordTokens(rest, at + colon + 1))];
  }
  const prefix = word.endsWith("*");
  const text = prefix ? word.slice(0, -1) : word;
  if (text === "") throw new QueryError(`'*' at position ${at} must follow a term, as in acet*`);
  return [term(text, prefix, at)];
}

/** Recursive descent over the tokens: or := and (OR and)*, and := not ([AND] not)*, not := unit (NOT unit)*. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Node {
    if (this.tokens.length === 0) throw new QueryError("the query has no terms");
    const node = this.or();
    const extra = this.tokens[this.position];
    if (extra) throw new QueryError(`')' at position ${extra.at} has no matching '('`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private operatorNext(operator: Operator): boolean {
    const next = this.peek();
    return next?.kind === "operator" && next.operator === operator;
  }

  private or(): Node {
    let left = this.and();
    while (this.operatorNext("OR")) {
      this.position++;
      left = { kind: "binary", operator: "OR", left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    for (;;) {
      const next = this.peek();
      if (next === undefined || next.kind === "close") return left;
      if (next.kind === "operator" && next.operator !== "AND") return left;
      if (next.kind === "operator") this.position++;
      left = { kind: "binary", operator: "AND", left, right: this.not() };
    }
  }

  private not(): Node {
    let left = this.unit();
    while (this.operatorNext("NOT")) {
      this.position++;
      left = { kind: "binary", operator: "NOT", left, right: this.unit() };
    }
    return left;
  }

  private unit(): Node {
    const token = this.tokens[this.position++];
    if (token === undefined) {
      const last = this.tokens.at(-1);
      const what =
        last?.kind === "field" ? `${last.field}:` : last?.kind === "operator" ? last.operator : "(";
      throw new QueryError(`the query ends after '${what}'; a term must follow`);
    }
    switch (token.kind) {
      case "term":
        return { kind: "term", text: token.text, prefix: token.prefix };
      case "field": {
        const node = this.unit();
        if (containsField(node)) {
          throw new QueryError(`'${token.field}:' at position ${token.at} contains another field`);
        }
        return { kind: "field", field: token.field, node };
      }
      case "open": {
        if (this.peek()?.kind === "close") throw new QueryError(`'()' at position ${token.at} is empty`);
        const node = this.or();
        if (this.peek()?.kind !== "close") {
          throw new QueryError(`the '(' at position ${token.at} is never closed`);
        }
        this.position++;
        return node;
      }
      case "close":
        throw new QueryError(`')' at position ${token.at} has no matching '(' or follows an operator`);
      case "operator":
        throw new QueryError(
          token.operator === "NOT"
            ? `NOT at position ${token.at} needs a term before it: write 'a NOT b' (a search cannot only exclude)`
            : `${token.operator} at position ${token.at} needs a term on each side`,
        );
    }
  }
}

function containsField(node: Node): boolean {
  if (node.kind === "field") return true;
  return node.kind === "binary" && (containsField(node.left) || containsField(node.right));
}

function countTerms(node: Node): number {
  if (node.kind === "term") return 1;
  if (node.kind === "field") return countTerms(node.node);
  return countTerms(node.left) + countTerms(node.right);
}

function render(node: Node): string {
  switch (node.kind) {
    case "term":
      return `"${node.text.replaceAll('"', '""')}"${node.prefix ? "*" : ""}`;
    case "field":
      return `${SEARCH_FIELDS[node.field]} : ${render(node.node)}`;
    case "binary":
      return `(${render(node.left)} ${node.operator} ${render(node.right)})`;
  }
}

/** The FTS5 MATCH expression for a user's query, or why the query is malformed. */
export function toFtsExpression(query: string): FtsQueryResult {
  try {
    const node = new Parser(tokenize(query)).parse();
    const terms = countTerms(node);
    if (terms > MAX_SEARCH_TERMS) {
      return { ok: false, message: `the query has ${terms} terms; at most ${MAX_SEARCH_TERMS} are allowed` };
    }
    return { ok: true, expression: render(node) };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, message: error.message };
    throw error;
  }
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Whether the text holds a C0 control character or DEL: never part of an id, a filter or a search
 * term, and NUL breaks SQLite text. `whitespaceAllowed` lets tabs and line breaks through (a search
 * pasted from a document).
 */
export function hasControlCharacter(text: string, whitespaceAllowed = false): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const whitespace = code === TAB || code === LINE_FEED || code === CARRIAGE_RETURN;
    if ((code < 0x20 && !(whitespace && whitespaceAllowed)) || code === 0x7f) return true;
  }
  return false;
}

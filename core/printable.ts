/**
 * Text from the input (a file or entry name, a parser's quote of the input, a server's answer)
 * made safe to print on a terminal: control characters (escape sequences move the cursor,
 * recolour, retitle the window or rewrite the line with a carriage return) and Unicode's
 * direction overrides (which reorder what the reader sees) are written as JSON writes them,
 * `\u001b`. Newlines and tabs stay: messages use them for their own layout.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
    return text.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

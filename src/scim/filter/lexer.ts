/**
 * Tokens of the filter language. Words are deliberately loose (any run without whitespace, brackets,
 * parentheses or quotes): the parser decides whether a word is an attribute path, an operator or a
 * bare value, because clients send unquoted values (`name.familyName eq Smith`).
 */
import { ScimError } from "../errors";

export type TokenKind = "(" | ")" | "[" | "]" | "string" | "word" | "eof";

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** For strings, the decoded value. */
  value?: string;
  pos: number;
  /** Whether whitespace separates this token from the previous one (`].value` must be adjacent). */
  spaceBefore: boolean;
}

const PUNCTUATION = new Set(["(", ")", "[", "]"]);
const isSpace = (ch: string) => /\s/.test(ch);

function readString(input: string, start: number, fail: (detail: string, logDetail?: string) => ScimError): [Token, number] {
  let i = start + 1;
  while (i < input.length && input[i] !== '"') i += input[i] === "\\" ? 2 : 1;
  if (i >= input.length) throw fail(`Unterminated string starting at position ${start + 1}`);
  const text = input.slice(start, i + 1);
  let value: string;
  try {
    value = JSON.parse(text) as string;
  } catch {
    throw fail(`Invalid string ${text} at position ${start + 1}`, `Invalid string at position ${start + 1}`);
  }
  return [{ kind: "string", text, value, pos: start, spaceBefore: false }, i + 1];
}

export function tokenize(input: string, fail: (detail: string, logDetail?: string) => ScimError = ScimError.invalidFilter): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaceBefore = false;
  while (i < input.length) {
    const ch = input[i];
    if (isSpace(ch)) {
      spaceBefore = true;
      i++;
      continue;
    }
    let token: Token;
    if (PUNCTUATION.has(ch)) {
      token = { kind: ch as TokenKind, text: ch, pos: i, spaceBefore };
      i++;
    } else if (ch === '"') {
      [token, i] = readString(input, i, fail);
      token.spaceBefore = spaceBefore;
    } else {
      const start = i;
      while (i < input.length && !isSpace(input[i]) && !PUNCTUATION.has(input[i]) && input[i] !== '"') i++;
      token = { kind: "word", text: input.slice(start, i), pos: start, spaceBefore };
    }
    tokens.push(token);
    spaceBefore = false;
  }
  tokens.push({ kind: "eof", text: "", pos: input.length, spaceBefore });
  return tokens;
}

/**
 * Recursive-descent parser for RFC 7644 §3.4.2.2 filters and for PATCH paths (§3.5.2), which share the
 * value-path syntax. Attribute names are only checked for syntax here; the compiler and the PATCH
 * normaliser resolve them against a resource's schemas.
 *
 * Beyond the RFC, because clients send them: operators and keywords in any case, bare unquoted values
 * (read as strings unless they are `true`/`false`/`null` or a JSON number), a sub-attribute after a
 * value path in a filter (`emails[type eq "work"].value eq "x"`), and `not` without parentheses.
 */
import { splitAttrPath, type AttrPath } from "../attributes";
import { ScimError } from "../errors";
import { COMPARE_OPS, type CompareOp, type Filter, type Literal } from "./ast";
import { tokenize, type Token } from "./lexer";

/** Bounds the recursion (and so the stack) whatever a client sends. */
export const MAX_FILTER_DEPTH = 32;
/**
 * Bounds the work of parsing and compiling. `eq` chains on one attribute compile to one IN list, so
 * a filter of hundreds of terms can run; what would not is refused by the compiler (src/scim/sql).
 */
export const MAX_FILTER_TERMS = 1000;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A PATCH path: an attribute, optionally narrowed by a value filter, optionally down to a sub-attribute. */
export interface PathExpression {
  path: AttrPath;
  filter?: Filter;
  /** Sub-attribute after a value filter (`emails[type eq "work"].value`). */
  sub?: string;
}

class Parser {
  private index = 0;
  private depth = 0;
  private terms = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fail: (detail: string, logDetail?: string) => ScimError,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.index++;
    return token;
  }

  private describe(token: Token): string {
    return token.kind === "eof" ? "the end of the filter" : `'${token.text}' at position ${token.pos + 1}`;
  }

  /** As describe, but a token that may be a value (a string or a bare word) by its kind only. */
  private describeForLog(token: Token): string {
    if (token.kind === "string") return `a string at position ${token.pos + 1}`;
    if (token.kind === "word") return `a word at position ${token.pos + 1}`;
    return this.describe(token);
  }

  /** A failure whose message shows a token: the log's copy names only its kind. */
  private failAt(message: (shown: string) => string, token: Token): ScimError {
    return this.fail(message(this.describe(token)), message(this.describeForLog(token)));
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === "word" && token.text.toLowerCase() === keyword;
  }

  expect(kind: Token["kind"], what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw this.failAt((shown) => `Expected ${what} but found ${shown}`, token);
    return token;
  }

  parseFilter(inValuePath = false): Filter {
    return this.parseChain("or", () => this.parseChain("and", () => this.parseUnary(inValuePath)));
  }

  /** `operand (keyword operand)*`, collected into one n-ary node. */
  private parseChain(keyword: "and" | "or", operand: () => Filter): Filter {
    const filters = [operand()];
    while (this.isKeyword(this.peek(), keyword)) {
      this.next();
      filters.push(operand());
    }
    return filters.length === 1 ? filters[0] : { type: keyword, filters };
  }

  private parseUnary(inValuePath: boolean): Filter {
    if (++this.depth > MAX_FILTER_DEPTH) throw this.fail(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
    try {
      const token = this.peek();
      const after = this.peek(1);
      // `not` is a keyword only where an operator cannot follow (an attribute could be named "not").
      if (this.isKeyword(token, "not") && (after.kind === "(" || (after.kind === "word" && !isOperator(after)))) {
        this.next();
        return { type: "not", filter: this.parseUnary(inValuePath) };
      }
      if (token.kind === "(") {
        this.next();
        const inner = this.parseFilter(inValuePath);
        this.expect(")", "')'");
        return inner;
      }
      return this.parseAttributeExpression(inValuePath);
    } finally {
      this.depth--;
    }
  }

  parsePath(inValuePath: boolean): AttrPath {
    const token = this.next();
    const path = token.kind === "word" ? splitAttrPath(token.text) : undefined;
    if (!path) throw this.failAt((shown) => `Expected an attribute name but found ${shown}`, token);
    if (inValuePath && (path.uri !== undefined || path.sub !== undefined)) {
      throw this.fail(`Inside [...] name a sub-attribute only, not '${token.text}'`);
    }
    return path;
  }

  private parseAttributeExpression(inValuePath: boolean): Filter {
    if (++this.terms > MAX_FILTER_TERMS) throw this.fail(`The filter has more than ${MAX_FILTER_TERMS} terms`);
    const path = this.parsePath(inValuePath);
    if (this.peek().kind === "[") {
      if (inValuePath) throw this.fail(`Value filters cannot be nested (at position ${this.peek().pos + 1})`);
      const filter = this.parseBracket(path);
      const sub = this.parseSubAfterBracket();
      if (sub === undefined) return { type: "valuePath", path, filter };
      const condition = this.parseCondition({ name: sub });
      return { type: "valuePath", path, filter: { type: "and", filters: [filter, condition] } };
    }
    return this.parseCondition(path);
  }

  parseBracket(path: AttrPath): Filter {
    this.expect("[", "'['");
    if (path.sub !== undefined) throw this.fail(`A value filter applies to a multi-valued attribute, not to '${path.name}.${path.sub}'`);
    const filter = this.parseFilter(true);
    this.expect("]", "']'");
    return filter;
  }

  parseSubAfterBracket(): string | undefined {
    const token = this.peek();
    if (token.kind !== "word" || token.spaceBefore || !token.text.startsWith(".")) return undefined;
    this.next();
    const sub = splitAttrPath(token.text.slice(1));
    if (!sub || sub.uri !== undefined || sub.sub !== undefined) throw this.fail(`Invalid sub-attribute '${token.text}'`);
    return sub.name;
  }

  private parseCondition(path: AttrPath): Filter {
    const token = this.next();
    if (token.kind === "word") {
      const op = token.text.toLowerCase();
      if (op === "pr") return { type: "present", path };
      if ((COMPARE_OPS as readonly string[]).includes(op)) {
        return { type: "compare", path, op: op as CompareOp, value: this.parseValue() };
      }
    }
    throw this.failAt((shown) => `Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) but found ${shown}`, token);
  }

  private parseValue(): Literal {
    const token = this.next();
    if (token.kind === "string") return token.value!;
    if (token.kind === "word") {
      const lower = token.text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      if (NUMBER.test(token.text) && Number.isFinite(Number(token.text))) return Number(token.text);
      return token.text;
    }
    throw this.failAt((shown) => `Expected a value but found ${shown}`, token);
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  trailing(): ScimError {
    return this.failAt((shown) => `Unexpected ${shown}`, this.peek());
  }
}

function isOperator(token: Token): boolean {
  const lower = token.text.toLowerCase();
  return lower === "pr" || (COMPARE_OPS as readonly string[]).includes(lower);
}

/** Parses a filter; throws ScimError 400 invalidFilter when it is not one. */
export function parseFilter(text: string): Filter {
  if (!text.trim()) throw ScimError.invalidFilter("The filter is empty");
  const parser = new Parser(tokenize(text), ScimError.invalidFilter);
  const filter = parser.parseFilter();
  if (!parser.atEnd()) throw parser.trailing();
  return filter;
}

/** Parses a PATCH path (or a sortBy/attributes entry); throws ScimError 400 with `scimType`. */
export function parsePathExpression(text: string, fail: (detail: string, logDetail?: string) => ScimError = ScimError.invalidPath): PathExpression {
  if (!text.trim()) throw fail("The path is empty");
  const parser = new Parser(tokenize(text, fail), fail);
  const path = parser.parsePath(false);
  const result: PathExpression = { path };
  if (!parser.atEnd()) {
    result.filter = parser.parseBracket(path);
    result.sub = parser.parseSubAfterBracket();
  }
  if (!parser.atEnd()) throw parser.trailing();
  return result;
}

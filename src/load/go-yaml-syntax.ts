// The syntax error docker prints for a compose file: a port of the scanner and parser of gopkg.in/yaml.v3
// v3.0.1 (itself a port of libyaml), reduced to what decides whether, where and how a file fails — token
// kinds, marks, the simple-key and indentation stacks, the three-token look-ahead — without building values.
// yaml.v3's parser.fail() prints the *context* mark's line when it has one (for parser errors that line is
// 0-based, so the number names the line before the mapping it was parsing), else the problem mark's.
// Each function names the Go function it follows (scannerc.go, parserc.go, readerc.go, decode.go).

export interface GoYamlMark {
  /** Characters from the start of the input. */
  index: number;
  /** 0-based, as libyaml counts. */
  line: number;
  /** 0-based, in characters. */
  column: number;
}

export interface GoYamlSyntaxError {
  kind: 'reader' | 'scanner' | 'parser' | 'anchor';
  problem: string;
  /** Where the offending character or token is (what `lint` points at). */
  problemMark: GoYamlMark;
  context?: string;
  contextMark?: GoYamlMark;
  /** What docker prints: `yaml: line N: problem`. */
  dockerMessage: string;
}

type TokenType =
  | 'STREAM-START' | 'STREAM-END' | 'VERSION-DIRECTIVE' | 'TAG-DIRECTIVE' | 'DOCUMENT-START' | 'DOCUMENT-END'
  | 'BLOCK-SEQUENCE-START' | 'BLOCK-MAPPING-START' | 'BLOCK-END' | 'FLOW-SEQUENCE-START' | 'FLOW-SEQUENCE-END'
  | 'FLOW-MAPPING-START' | 'FLOW-MAPPING-END' | 'BLOCK-ENTRY' | 'FLOW-ENTRY' | 'KEY' | 'VALUE' | 'ALIAS' | 'ANCHOR'
  | 'TAG' | 'SCALAR';

interface Token {
  type: TokenType;
  start: GoYamlMark;
  end: GoYamlMark;
  /** Anchor or alias name, tag handle, directive handle. */
  value?: string;
  suffix?: string;
  plain?: boolean;
  major?: number;
  minor?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: GoYamlMark;
}

/** Thrown inside the scanner and parser to unwind to findGoYamlSyntaxError. */
class Failure {
  constructor(readonly error: GoYamlSyntaxError) {}
}

const copy = (m: GoYamlMark): GoYamlMark => ({ index: m.index, line: m.line, column: m.column });

// yamlprivateh.go character classes, on code points (0 stands for the end of the input, as libyaml's NUL).
const isBlank = (c: number) => c === 0x20 || c === 0x09;
const isBreak = (c: number) => c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBreakz = (c: number) => c === 0 || isBreak(c);
const isBlankz = (c: number) => isBlank(c) || isBreakz(c);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
/** is_alpha: letters, digits, '_' and '-'. */
const isAlpha = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
// Characters the scanner compares with, as numbers: most files are scanned before V8 optimises anything.
const EXCLAMATION = 0x21; // !
const DOUBLE_QUOTE = 0x22; // "
const HASH = 0x23; // #
const PERCENT = 0x25; // %
const AMPERSAND = 0x26; // &
const SINGLE_QUOTE = 0x27; // '
const ASTERISK = 0x2a; // *
const PLUS = 0x2b; // +
const COMMA = 0x2c; // ,
const DASH = 0x2d; // -
const DOT = 0x2e; // .
const DIGIT_ZERO = 0x30; // 0
const COLON = 0x3a; // :
const LESS_THAN = 0x3c; // <
const GREATER_THAN = 0x3e; // >
const QUESTION = 0x3f; // ?
const LEFT_BRACKET = 0x5b; // [
const BACKSLASH = 0x5c; // \
const RIGHT_BRACKET = 0x5d; // ]
const LEFT_BRACE = 0x7b; // {
const PIPE = 0x7c; // |
const RIGHT_BRACE = 0x7d; // }

/** readerc.go yaml_parser_update_buffer's check: the characters YAML allows in a stream. */
function isAllowedCharacter(c: number): boolean {
  return (
    c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0x7e) || c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)
  );
}

/** A character the reader refuses (not isAllowedCharacter; a lone surrogate is one). */
const DISALLOWED_CHARACTER = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

class Scanner {
  private readonly buf: number[];
  private bomLength = 0;
  private pos = 0;
  mark: GoYamlMark = { index: 0, line: 0, column: 0 };
  private newlines = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new Map<number, number>();
  private simpleKeyAllowed = false;
  private streamStartProduced = false;
  readonly tokens: Token[] = [];
  head = 0;
  tokensParsed = 0;
  tokenAvailable = false;

  constructor(text: string) {
    const buf: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.codePointAt(i)!;
      if (c > 0xffff) i++;
      buf.push(c);
    }
    this.buf = buf;
    if (this.buf[0] === 0xfeff) {
      this.buf.shift(); // the reader consumes a leading byte-order mark
      this.bomLength = 1;
    }
  }

  /** The UTF-16 offset in the original text of a mark's character index. */
  utf16Offset(index: number): number {
    let offset = this.bomLength;
    for (let i = 0; i < index && i < this.buf.length; i++) offset += this.buf[i] > 0xffff ? 2 : 1;
    return offset;
  }

  private at(k = 0): number {
    return this.buf[this.pos + k] ?? 0;
  }

  private fail(context: string, contextMark: GoYamlMark, problem: string): never {
    throw new Failure({ kind: 'scanner', context, contextMark: copy(contextMark), problem, problemMark: copy(this.mark), dockerMessage: '' });
  }

  /** skip. */
  private skip(): void {
    if (!isBlank(this.at())) this.newlines = 0;
    this.mark.index++;
    this.mark.column++;
    this.pos++;
  }

  /** skip, `count` times over characters known not to be blanks (the fast paths' bulk move). */
  private skipNonBlanks(count: number): void {
    if (count === 0) return;
    this.newlines = 0;
    this.mark.index += count;
    this.mark.column += count;
    this.pos += count;
  }

  /** How many characters from the current one are neither blank, nor break, nor end, nor one of `stop1`, `stop2`. */
  private runLength(stop1: number, stop2: number): number {
    const buf = this.buf;
    let i = this.pos;
    for (;;) {
      const c = buf[i] ?? 0;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0 || c === 0x85 || c === 0x2028 || c === 0x2029) break;
      if (c === stop1 || c === stop2) break;
      i++;
    }
    return i - this.pos;
  }

  /** skip() up to the next break or the end of the input. */
  private skipToBreak(): void {
    const buf = this.buf;
    let i = this.pos;
    let nonBlank = false;
    for (;;) {
      const c = buf[i] ?? 0;
      if (c === 0x0a || c === 0x0d || c === 0 || c === 0x85 || c === 0x2028 || c === 0x2029) break;
      if (c !== 0x20 && c !== 0x09) nonBlank = true;
      i++;
    }
    if (nonBlank) this.newlines = 0;
    this.mark.index += i - this.pos;
    this.mark.column += i - this.pos;
    this.pos = i;
  }

  /** skip_line (and read_line: the same movement). */
  private skipLine(): void {
    if (this.at() === 0x0d && this.at(1) === 0x0a) {
      this.mark.index += 2;
      this.pos += 2;
    } else if (isBreak(this.at())) {
      this.mark.index++;
      this.pos++;
    } else {
      return;
    }
    this.mark.column = 0;
    this.mark.line++;
    this.newlines++;
  }

  private insert(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + pos, 0, token);
  }

  /** yaml_parser_fetch_more_tokens: keeps three tokens ahead, and more while the head may be a simple key. */
  fetchMoreTokens(): void {
    for (;;) {
      if (this.head < this.tokens.length - 2) {
        const index = this.simpleKeysByToken.get(this.tokensParsed);
        if (index === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[index])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  /** yaml_parser_fetch_next_token. */
  private fetchNextToken(): void {
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    const scanMark = copy(this.mark);
    this.scanToNextToken();
    this.unrollIndent(this.mark.column, scanMark);
    const c = this.at();
    if (c === 0) {
      this.fetchStreamEnd();
      return;
    }
    if (this.mark.column === 0 && c === PERCENT) {
      this.fetchDirective();
      return;
    }
    const three = (x: number) => this.at() === x && this.at(1) === x && this.at(2) === x && isBlankz(this.at(3));
    if (this.mark.column === 0 && three(DASH)) {
      this.fetchDocumentIndicator('DOCUMENT-START');
      return;
    }
    if (this.mark.column === 0 && three(DOT)) {
      this.fetchDocumentIndicator('DOCUMENT-END');
      return;
    }
    this.fetchToken(c);
    // The deferred line-comment scan: a comment after the token on its line is consumed with it.
    if (this.tokens[this.tokens.length - 1]?.type !== 'BLOCK-ENTRY') this.scanLineComment();
  }

  private fetchToken(c: number): void {
    const next = this.at(1);
    if (c === LEFT_BRACKET) return this.fetchFlowCollectionStart('FLOW-SEQUENCE-START');
    if (c === LEFT_BRACE) return this.fetchFlowCollectionStart('FLOW-MAPPING-START');
    if (c === RIGHT_BRACKET) return this.fetchFlowCollectionEnd('FLOW-SEQUENCE-END');
    if (c === RIGHT_BRACE) return this.fetchFlowCollectionEnd('FLOW-MAPPING-END');
    if (c === COMMA) return this.fetchFlowEntry();
    if (c === DASH && isBlankz(next)) return this.fetchBlockEntry();
    if (c === QUESTION && (this.flowLevel > 0 || isBlankz(next))) return this.fetchKey();
    if (c === COLON && (this.flowLevel > 0 || isBlankz(next))) return this.fetchValue();
    if (c === ASTERISK) return this.fetchAnchor('ALIAS');
    if (c === AMPERSAND) return this.fetchAnchor('ANCHOR');
    if (c === EXCLAMATION) return this.fetchTag();
    if (c === PIPE && this.flowLevel === 0) return this.fetchBlockScalar();
    if (c === GREATER_THAN && this.flowLevel === 0) return this.fetchBlockScalar();
    if (c === SINGLE_QUOTE) return this.fetchFlowScalar(true);
    if (c === DOUBLE_QUOTE) return this.fetchFlowScalar(false);
    const indicator = isBlankz(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCodePoint(c));
    if (
      !indicator ||
      (c === DASH && !isBlank(next)) ||
      (this.flowLevel === 0 && (c === QUESTION || c === COLON) && !isBlankz(next))
    ) {
      return this.fetchPlainScalar();
    }
    this.fail('while scanning for the next token', this.mark, 'found character that cannot start any token');
  }

  /** yaml_simple_key_is_valid. */
  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) this.fail('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  /** yaml_parser_save_simple_key. */
  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = {
      possible: true,
      required,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: copy(this.mark),
    };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
    this.simpleKeysByToken.set(key.tokenNumber, this.simpleKeys.length - 1);
  }

  /** yaml_parser_remove_simple_key. */
  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (!key.possible) return;
    if (key.required) this.fail('while scanning a simple key', key.mark, "could not find expected ':'");
    key.possible = false;
    this.simpleKeysByToken.delete(key.tokenNumber);
  }

  /** yaml_parser_increase_flow_level. */
  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: copy(this.mark) });
    this.flowLevel++;
    if (this.flowLevel > 10000) this.fail('while increasing flow level', this.simpleKeys[this.simpleKeys.length - 1].mark, 'exceeded max depth of 10000');
  }

  /** yaml_parser_decrease_flow_level. */
  private decreaseFlowLevel(): void {
    if (this.flowLevel === 0) return;
    this.flowLevel--;
    const last = this.simpleKeys.pop()!;
    this.simpleKeysByToken.delete(last.tokenNumber);
  }

  /** yaml_parser_roll_indent. */
  private rollIndent(column: number, number: number, type: TokenType, mark: GoYamlMark): void {
    if (this.flowLevel > 0 || this.indent >= column) return;
    this.indents.push(this.indent);
    this.indent = column;
    if (this.indents.length > 10000) this.fail('while increasing indent level', this.simpleKeys[this.simpleKeys.length - 1].mark, 'exceeded max depth of 10000');
    this.insert(number > -1 ? number - this.tokensParsed : -1, { type, start: copy(mark), end: copy(mark) });
  }

  /** yaml_parser_unroll_indent (the block end's mark is not moved before foot comments here). */
  private unrollIndent(column: number, scanMark: GoYamlMark): void {
    if (this.flowLevel > 0) return;
    const blockMark = { ...scanMark, index: scanMark.index - 1 };
    while (this.indent > column) {
      this.insert(-1, { type: 'BLOCK-END', start: copy(blockMark), end: copy(blockMark) });
      this.indent = this.indents.pop()!;
    }
  }

  /** yaml_parser_fetch_stream_start. */
  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: copy(this.mark) });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insert(-1, { type: 'STREAM-START', start: copy(this.mark), end: copy(this.mark) });
  }

  /** yaml_parser_fetch_stream_end. */
  private fetchStreamEnd(): void {
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    this.unrollIndent(-1, this.mark);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(-1, { type: 'STREAM-END', start: copy(this.mark), end: copy(this.mark) });
  }

  /** yaml_parser_fetch_directive and yaml_parser_scan_directive. */
  private fetchDirective(): void {
    this.unrollIndent(-1, this.mark);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    this.skip();
    let name = '';
    while (isAlpha(this.at())) {
      name += String.fromCodePoint(this.at());
      this.skip();
    }
    if (name === '') this.fail('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankz(this.at())) this.fail('while scanning a directive', start, 'found unexpected non-alphabetical character');
    let token: Token;
    if (name === 'YAML') {
      while (isBlank(this.at())) this.skip();
      const major = this.versionNumber(start);
      if (this.at() !== DOT) this.fail('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.versionNumber(start);
      token = { type: 'VERSION-DIRECTIVE', start, end: copy(this.mark), major, minor };
    } else if (name === 'TAG') {
      while (isBlank(this.at())) this.skip();
      const handle = this.scanTagHandle(true, start);
      if (!isBlank(this.at())) this.fail('while scanning a %TAG directive', start, 'did not find expected whitespace');
      while (isBlank(this.at())) this.skip();
      this.scanTagUri(true, '', start);
      if (!isBlankz(this.at())) this.fail('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
      token = { type: 'TAG-DIRECTIVE', start, end: copy(this.mark), value: handle };
    } else {
      this.fail('while scanning a directive', start, 'found unknown directive name');
    }
    while (isBlank(this.at())) this.skip();
    if (this.at() === HASH) this.skipToBreak();
    if (!isBreakz(this.at())) this.fail('while scanning a directive', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) this.skipLine();
    this.insert(-1, token);
  }

  /** yaml_parser_scan_version_directive_number. */
  private versionNumber(start: GoYamlMark): number {
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      length++;
      if (length > 2) this.fail('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + this.at() - 0x30;
      this.skip();
    }
    if (length === 0) this.fail('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  /** yaml_parser_fetch_document_indicator. */
  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1, this.mark);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    this.skip();
    this.skip();
    this.skip();
    this.insert(-1, { type, start, end: copy(this.mark) });
  }

  /** yaml_parser_fetch_flow_collection_start. */
  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.consumeIndicator(type);
  }

  /** yaml_parser_fetch_flow_collection_end. */
  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.consumeIndicator(type);
  }

  /** A one-character indicator token. */
  private consumeIndicator(type: TokenType): void {
    const start = copy(this.mark);
    this.skip();
    this.insert(-1, { type, start, end: copy(this.mark) });
  }

  /** In the block context an indicator (`-`, `?`, a complex `:`) may open a collection where a key could start. */
  private startBlockCollection(problem: string, type: TokenType): void {
    if (this.flowLevel > 0) return;
    if (!this.simpleKeyAllowed) this.fail('', this.mark, problem);
    this.rollIndent(this.mark.column, -1, type, this.mark);
  }

  /** yaml_parser_fetch_flow_entry. */
  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.consumeIndicator('FLOW-ENTRY');
  }

  /** yaml_parser_fetch_block_entry. */
  private fetchBlockEntry(): void {
    this.startBlockCollection('block sequence entries are not allowed in this context', 'BLOCK-SEQUENCE-START');
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.consumeIndicator('BLOCK-ENTRY');
  }

  /** yaml_parser_fetch_key. */
  private fetchKey(): void {
    this.startBlockCollection('mapping keys are not allowed in this context', 'BLOCK-MAPPING-START');
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.consumeIndicator('KEY');
  }

  /** yaml_parser_fetch_value. */
  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(key)) {
      this.insert(key.tokenNumber - this.tokensParsed, { type: 'KEY', start: copy(key.mark), end: copy(key.mark) });
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK-MAPPING-START', key.mark);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      this.startBlockCollection('mapping values are not allowed in this context', 'BLOCK-MAPPING-START');
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.consumeIndicator('VALUE');
  }

  /** yaml_parser_fetch_anchor and yaml_parser_scan_anchor. */
  private fetchAnchor(type: 'ALIAS' | 'ANCHOR'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    this.skip();
    let name = '';
    while (isAlpha(this.at())) {
      name += String.fromCodePoint(this.at());
      this.skip();
    }
    const end = copy(this.mark);
    const c = this.at();
    if (name === '' || !(isBlankz(c) || '?:,]}%@`'.includes(String.fromCodePoint(c)))) {
      this.fail(type === 'ANCHOR' ? 'while scanning an anchor' : 'while scanning an alias', start, 'did not find expected alphabetic or numeric character');
    }
    this.insert(-1, { type, start, end, value: name });
  }

  /** yaml_parser_fetch_tag and yaml_parser_scan_tag. */
  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    let handle: string;
    let suffix: string;
    if (this.at(1) === LESS_THAN) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (this.at() !== GREATER_THAN) this.fail('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle[0] === '!' && handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    if (!isBlankz(this.at())) this.fail('while scanning a tag', start, 'did not find expected whitespace or line break');
    this.insert(-1, { type: 'TAG', start, end: copy(this.mark), value: handle, suffix });
  }

  /** yaml_parser_scan_tag_handle. */
  private scanTagHandle(directive: boolean, start: GoYamlMark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    if (this.at() !== EXCLAMATION) this.fail(context, start, "did not find expected '!'");
    let s = '!';
    this.skip();
    while (isAlpha(this.at())) {
      s += String.fromCodePoint(this.at());
      this.skip();
    }
    if (this.at() === EXCLAMATION) {
      s += '!';
      this.skip();
    } else if (directive && s !== '!') {
      this.fail(context, start, "did not find expected '!'");
    }
    return s;
  }

  /** yaml_parser_scan_tag_uri and yaml_parser_scan_uri_escapes. */
  private scanTagUri(directive: boolean, head: string, start: GoYamlMark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag';
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    for (;;) {
      const c = this.at();
      if (!(isAlpha(c) || ";/?:@&=+$,.!~*'()[]%".includes(String.fromCodePoint(c)) && c !== 0)) break;
      if (c === PERCENT) {
        let width = 1024;
        while (width > 0) {
          if (!(this.at() === PERCENT && isHex(this.at(1)) && isHex(this.at(2)))) this.fail(context, start, 'did not find URI escaped octet');
          const octet = parseInt(String.fromCodePoint(this.at(1), this.at(2)), 16);
          if (width === 1024) {
            width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
            if (width === 0) this.fail(context, start, 'found an incorrect leading UTF-8 octet');
          } else if ((octet & 0xc0) !== 0x80) {
            this.fail(context, start, 'found an incorrect trailing UTF-8 octet');
          }
          s += '%';
          this.skip();
          this.skip();
          this.skip();
          width--;
        }
      } else {
        s += String.fromCodePoint(c);
        this.skip();
      }
      hasTag = true;
    }
    if (!hasTag) this.fail(context, start, 'did not find expected tag URI');
    return s;
  }

  /** yaml_parser_fetch_block_scalar and yaml_parser_scan_block_scalar. */
  private fetchBlockScalar(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = copy(this.mark);
    this.skip();
    let increment = 0;
    const indicatorZero = () => this.fail('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
    if (this.at() === PLUS || this.at() === DASH) {
      this.skip();
      if (isDigit(this.at())) {
        if (this.at() === DIGIT_ZERO) indicatorZero();
        increment = this.at() - 0x30;
        this.skip();
      }
    } else if (isDigit(this.at())) {
      if (this.at() === DIGIT_ZERO) indicatorZero();
      increment = this.at() - 0x30;
      this.skip();
      if (this.at() === PLUS || this.at() === DASH) this.skip();
    }
    while (isBlank(this.at())) this.skip();
    if (this.at() === HASH) {
      this.scanLineComment();
      this.skipToBreak();
    }
    if (!isBreakz(this.at())) this.fail('while scanning a block scalar', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) this.skipLine();
    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    indent = this.blockScalarBreaks(indent, start);
    while (this.mark.column === indent && this.at() !== 0) {
      this.skipToBreak();
      this.skipLine();
      indent = this.blockScalarBreaks(indent, start);
    }
    this.insert(-1, { type: 'SCALAR', start, end: copy(this.mark) });
  }

  /** yaml_parser_scan_block_scalar_breaks: returns the (possibly detected) indentation. */
  private blockScalarBreaks(indent: number, start: GoYamlMark): number {
    let maxIndent = 0;
    for (;;) {
      while ((indent === 0 || this.mark.column < indent) && this.at() === 0x20) this.skip();
      if (this.mark.column > maxIndent) maxIndent = this.mark.column;
      if ((indent === 0 || this.mark.column < indent) && this.at() === 0x09) {
        this.fail('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.at())) break;
      this.skipLine();
    }
    if (indent === 0) indent = Math.max(maxIndent, this.indent + 1, 1);
    return indent;
  }

  /** yaml_parser_fetch_flow_scalar and yaml_parser_scan_flow_scalar. */
  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    this.skip();
    for (;;) {
      const documentIndicator =
        this.mark.column === 0 &&
        ((this.at() === DASH && this.at(1) === DASH && this.at(2) === DASH) ||
          (this.at() === DOT && this.at(1) === DOT && this.at(2) === DOT)) &&
        isBlankz(this.at(3));
      if (documentIndicator) this.fail('while scanning a quoted scalar', start, 'found unexpected document indicator');
      if (this.at() === 0) this.fail('while scanning a quoted scalar', start, 'found unexpected end of stream');
      while (!isBlankz(this.at())) {
        const ordinary = single ? this.runLength(SINGLE_QUOTE, SINGLE_QUOTE) : this.runLength(DOUBLE_QUOTE, BACKSLASH);
        if (ordinary > 0) {
          this.skipNonBlanks(ordinary);
          continue;
        }
        const c = this.at();
        if (single && c === SINGLE_QUOTE && this.at(1) === SINGLE_QUOTE) {
          this.skip();
          this.skip();
        } else if (single && c === SINGLE_QUOTE) {
          break;
        } else if (!single && c === DOUBLE_QUOTE) {
          break;
        } else if (!single && c === BACKSLASH && isBreak(this.at(1))) {
          this.skip();
          this.skipLine();
          break;
        } else if (!single && c === BACKSLASH) {
          const escape = String.fromCodePoint(this.at(1));
          const length = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
          if (length === 0 && !'0abt\tnvfre "\'\\N_LP'.includes(escape)) {
            this.fail('while parsing a quoted scalar', start, 'found unknown escape character');
          }
          if (this.at(1) === 0) this.fail('while parsing a quoted scalar', start, 'found unknown escape character');
          this.skip();
          this.skip();
          if (length > 0) {
            let value = 0;
            for (let k = 0; k < length; k++) {
              if (!isHex(this.at(k))) this.fail('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
              value = value * 16 + parseInt(String.fromCodePoint(this.at(k)), 16);
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
              this.fail('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
            }
            for (let k = 0; k < length; k++) this.skip();
          }
        } else {
          this.skip();
        }
      }
      if (this.at() === (single ? SINGLE_QUOTE : DOUBLE_QUOTE)) break;
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) this.skip();
        else this.skipLine();
      }
    }
    this.skip();
    this.insert(-1, { type: 'SCALAR', start, end: copy(this.mark) });
  }

  /** yaml_parser_fetch_plain_scalar and yaml_parser_scan_plain_scalar. */
  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const indent = this.indent + 1;
    const start = copy(this.mark);
    let end = copy(this.mark);
    let leadingBlanks = false;
    for (;;) {
      const documentIndicator =
        this.mark.column === 0 &&
        ((this.at() === DASH && this.at(1) === DASH && this.at(2) === DASH) ||
          (this.at() === DOT && this.at(1) === DOT && this.at(2) === DOT)) &&
        isBlankz(this.at(3));
      if (documentIndicator || this.at() === HASH) break;
      // Characters of the scalar up to a blank, a break, a `: ` or (in a flow) a flow indicator; the mark is
      // copied once after them (yaml.v3 moves `end` after each).
      const before = this.pos;
      for (;;) {
        if (this.flowLevel === 0) this.skipNonBlanks(this.runLength(COLON, COLON));
        const c = this.at();
        if (isBlankz(c) || (c === COLON && isBlankz(this.at(1))) || (this.flowLevel > 0 && ',?[]{}'.includes(String.fromCodePoint(c)))) break;
        this.skip();
      }
      if (this.pos > before) {
        leadingBlanks = false;
        end = copy(this.mark);
      }
      if (!(isBlank(this.at()) || isBreak(this.at()))) break;
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (leadingBlanks && this.mark.column < indent && this.at() === 0x09) {
            this.fail('while scanning a plain scalar', start, 'found a tab character that violates indentation');
          }
          this.skip();
        } else {
          this.skipLine();
          leadingBlanks = true;
        }
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break;
    }
    this.insert(-1, { type: 'SCALAR', start, end, plain: true });
    if (leadingBlanks) this.simpleKeyAllowed = true;
  }

  /** yaml_parser_scan_to_next_token. */
  private scanToNextToken(): void {
    for (;;) {
      if (this.mark.column === 0 && this.at() === 0xfeff) this.skip();
      const tabs = this.flowLevel > 0 || !this.simpleKeyAllowed;
      let blanks = 0;
      while (this.at(blanks) === 0x20 || (tabs && this.at(blanks) === 0x09)) blanks++;
      // skip() over blanks leaves `newlines` as it is.
      this.mark.index += blanks;
      this.mark.column += blanks;
      this.pos += blanks;
      if (this.at() === HASH) this.scanComments();
      if (!isBreak(this.at())) break;
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  /**
   * yaml_parser_scan_line_comment, for its movement only: when no line break was passed since the token,
   * blanks and a `#` comment up to the end of the line are consumed (so a tab before it is no error).
   */
  private scanLineComment(): void {
    if (this.newlines > 0) return;
    let peek = 0;
    while (peek < 512 && isBlank(this.at(peek))) peek++;
    if (peek >= 512 || this.at(peek) !== HASH) return;
    this.skipToBreak();
  }

  /**
   * yaml_parser_scan_comments, for its movement only: from a `#`, this comment and every later one reached
   * across blanks and empty lines (within 512 characters of look-ahead) are consumed, tabs included; the
   * position stops at the end of the last comment.
   */
  private scanComments(): void {
    for (;;) {
      this.skipToBreak();
      let peek = 0;
      while (peek < 512 && (isBlank(this.at(peek)) || isBreak(this.at(peek)))) peek++;
      if (peek >= 512 || this.at(peek) !== HASH) return;
      while (peek > 0) {
        if (isBreak(this.at())) {
          const crlf = this.at() === 0x0d && this.at(1) === 0x0a;
          this.skipLine();
          peek -= crlf ? 2 : 1;
        } else {
          this.skip();
          peek--;
        }
      }
    }
  }
}

type ParserState =
  | 'STREAM-START' | 'IMPLICIT-DOCUMENT-START' | 'DOCUMENT-START' | 'DOCUMENT-CONTENT' | 'DOCUMENT-END'
  | 'BLOCK-NODE' | 'BLOCK-NODE-OR-INDENTLESS-SEQUENCE' | 'FLOW-NODE' | 'BLOCK-SEQUENCE-FIRST-ENTRY'
  | 'BLOCK-SEQUENCE-ENTRY' | 'INDENTLESS-SEQUENCE-ENTRY' | 'BLOCK-MAPPING-FIRST-KEY' | 'BLOCK-MAPPING-KEY'
  | 'BLOCK-MAPPING-VALUE' | 'FLOW-SEQUENCE-FIRST-ENTRY' | 'FLOW-SEQUENCE-ENTRY' | 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY'
  | 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE' | 'FLOW-SEQUENCE-ENTRY-MAPPING-END' | 'FLOW-MAPPING-FIRST-KEY'
  | 'FLOW-MAPPING-KEY' | 'FLOW-MAPPING-VALUE' | 'FLOW-MAPPING-EMPTY-VALUE' | 'END';

type EventType = 'STREAM-START' | 'STREAM-END' | 'DOCUMENT-START' | 'DOCUMENT-END' | 'ALIAS' | 'SCALAR' | 'SEQUENCE-START' | 'SEQUENCE-END' | 'MAPPING-START' | 'MAPPING-END';

interface ParseEvent {
  type: EventType;
  anchor?: string;
  start: GoYamlMark;
  /** DOCUMENT-END: the token after the document (content when the document ended implicitly). */
  next?: TokenType;
}

/** parserc.go: the event state machine. */
class Parser {
  private state: ParserState = 'STREAM-START';
  private readonly states: ParserState[] = [];
  private readonly marks: GoYamlMark[] = [];
  private tagDirectives: string[] = [];

  constructor(private readonly scanner: Scanner) {}

  private fail(problem: string, problemMark: GoYamlMark, context?: string, contextMark?: GoYamlMark): never {
    throw new Failure({ kind: 'parser', problem, problemMark: copy(problemMark), context, contextMark: contextMark && copy(contextMark), dockerMessage: '' });
  }

  /** peek_token. */
  private peek(): Token {
    if (!this.scanner.tokenAvailable) this.scanner.fetchMoreTokens();
    return this.scanner.tokens[this.scanner.head];
  }

  /** skip_token. */
  private skipToken(): void {
    this.scanner.tokenAvailable = false;
    this.scanner.tokensParsed++;
    this.scanner.head++;
  }

  private pop(): void {
    this.state = this.states.pop()!;
  }

  /** yaml_parser_state_machine. */
  next(): ParseEvent {
    switch (this.state) {
      case 'STREAM-START': {
        const token = this.peek();
        this.state = 'IMPLICIT-DOCUMENT-START';
        this.skipToken();
        return { type: 'STREAM-START', start: token.start };
      }
      case 'IMPLICIT-DOCUMENT-START':
        return this.documentStart(true);
      case 'DOCUMENT-START':
        return this.documentStart(false);
      case 'DOCUMENT-CONTENT': {
        const token = this.peek();
        if (['VERSION-DIRECTIVE', 'TAG-DIRECTIVE', 'DOCUMENT-START', 'DOCUMENT-END', 'STREAM-END'].includes(token.type)) {
          this.pop();
          return { type: 'SCALAR', start: token.start };
        }
        return this.node(true, false);
      }
      case 'DOCUMENT-END': {
        const token = this.peek();
        if (token.type === 'DOCUMENT-END') this.skipToken();
        this.tagDirectives = [];
        this.state = 'DOCUMENT-START';
        return { type: 'DOCUMENT-END', start: token.start, next: token.type };
      }
      case 'BLOCK-NODE':
        return this.node(true, false);
      case 'BLOCK-NODE-OR-INDENTLESS-SEQUENCE':
        return this.node(true, true);
      case 'FLOW-NODE':
        return this.node(false, false);
      case 'BLOCK-SEQUENCE-FIRST-ENTRY':
        return this.blockSequenceEntry(true);
      case 'BLOCK-SEQUENCE-ENTRY':
        return this.blockSequenceEntry(false);
      case 'INDENTLESS-SEQUENCE-ENTRY':
        return this.indentlessSequenceEntry();
      case 'BLOCK-MAPPING-FIRST-KEY':
        return this.blockMappingKey(true);
      case 'BLOCK-MAPPING-KEY':
        return this.blockMappingKey(false);
      case 'BLOCK-MAPPING-VALUE':
        return this.blockMappingValue();
      case 'FLOW-SEQUENCE-FIRST-ENTRY':
        return this.flowSequenceEntry(true);
      case 'FLOW-SEQUENCE-ENTRY':
        return this.flowSequenceEntry(false);
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY':
        return this.flowSequenceEntryMappingKey();
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE':
        return this.flowSequenceEntryMappingValue();
      case 'FLOW-SEQUENCE-ENTRY-MAPPING-END': {
        const token = this.peek();
        this.state = 'FLOW-SEQUENCE-ENTRY';
        return { type: 'MAPPING-END', start: token.start };
      }
      case 'FLOW-MAPPING-FIRST-KEY':
        return this.flowMappingKey(true);
      case 'FLOW-MAPPING-KEY':
        return this.flowMappingKey(false);
      case 'FLOW-MAPPING-VALUE':
        return this.flowMappingValue(false);
      case 'FLOW-MAPPING-EMPTY-VALUE':
        return this.flowMappingValue(true);
      case 'END':
        return { type: 'STREAM-END', start: this.scanner.mark };
    }
  }

  /** yaml_parser_parse_document_start. */
  private documentStart(implicit: boolean): ParseEvent {
    let token = this.peek();
    if (!implicit) {
      while (token.type === 'DOCUMENT-END') {
        this.skipToken();
        token = this.peek();
      }
    }
    if (implicit && !['VERSION-DIRECTIVE', 'TAG-DIRECTIVE', 'DOCUMENT-START', 'STREAM-END'].includes(token.type)) {
      this.processDirectives();
      this.states.push('DOCUMENT-END');
      this.state = 'BLOCK-NODE';
      return { type: 'DOCUMENT-START', start: token.start };
    }
    if (token.type !== 'STREAM-END') {
      const start = token.start;
      this.processDirectives();
      token = this.peek();
      if (token.type !== 'DOCUMENT-START') this.fail('did not find expected <document start>', token.start);
      this.states.push('DOCUMENT-END');
      this.state = 'DOCUMENT-CONTENT';
      this.skipToken();
      return { type: 'DOCUMENT-START', start };
    }
    this.state = 'END';
    this.skipToken();
    return { type: 'STREAM-END', start: token.start };
  }

  /** yaml_parser_process_directives. */
  private processDirectives(): void {
    let version = false;
    let token = this.peek();
    while (token.type === 'VERSION-DIRECTIVE' || token.type === 'TAG-DIRECTIVE') {
      if (token.type === 'VERSION-DIRECTIVE') {
        if (version) this.fail('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) this.fail('found incompatible YAML document', token.start);
        version = true;
      } else {
        if (this.tagDirectives.includes(token.value!)) this.fail('found duplicate %TAG directive', token.start);
        this.tagDirectives.push(token.value!);
      }
      this.skipToken();
      token = this.peek();
    }
    for (const handle of ['!', '!!']) if (!this.tagDirectives.includes(handle)) this.tagDirectives.push(handle);
  }

  /** yaml_parser_parse_node. */
  private node(block: boolean, indentlessSequence: boolean): ParseEvent {
    let token = this.peek();
    if (token.type === 'ALIAS') {
      this.pop();
      this.skipToken();
      return { type: 'ALIAS', anchor: token.value, start: token.start };
    }
    let start = token.start;
    let anchor: string | undefined;
    let tagHandle: string | undefined;
    let tagMark = token.start;
    if (token.type === 'ANCHOR') {
      anchor = token.value;
      this.skipToken();
      token = this.peek();
      if (token.type === 'TAG') {
        tagHandle = token.value;
        tagMark = token.start;
        this.skipToken();
        token = this.peek();
      }
    } else if (token.type === 'TAG') {
      tagHandle = token.value;
      start = token.start;
      tagMark = token.start;
      this.skipToken();
      token = this.peek();
      if (token.type === 'ANCHOR') {
        anchor = token.value;
        this.skipToken();
        token = this.peek();
      }
    }
    if (tagHandle !== undefined && tagHandle !== '' && !this.tagDirectives.includes(tagHandle)) {
      this.fail('found undefined tag handle', tagMark, 'while parsing a node', start);
    }
    const tagged = tagHandle !== undefined;
    if (indentlessSequence && token.type === 'BLOCK-ENTRY') {
      this.state = 'INDENTLESS-SEQUENCE-ENTRY';
      return { type: 'SEQUENCE-START', anchor, start };
    }
    if (token.type === 'SCALAR') {
      this.pop();
      this.skipToken();
      return { type: 'SCALAR', anchor, start };
    }
    if (token.type === 'FLOW-SEQUENCE-START') {
      this.state = 'FLOW-SEQUENCE-FIRST-ENTRY';
      return { type: 'SEQUENCE-START', anchor, start };
    }
    if (token.type === 'FLOW-MAPPING-START') {
      this.state = 'FLOW-MAPPING-FIRST-KEY';
      return { type: 'MAPPING-START', anchor, start };
    }
    if (block && token.type === 'BLOCK-SEQUENCE-START') {
      this.state = 'BLOCK-SEQUENCE-FIRST-ENTRY';
      return { type: 'SEQUENCE-START', anchor, start };
    }
    if (block && token.type === 'BLOCK-MAPPING-START') {
      this.state = 'BLOCK-MAPPING-FIRST-KEY';
      return { type: 'MAPPING-START', anchor, start };
    }
    if (anchor !== undefined || tagged) {
      this.pop();
      return { type: 'SCALAR', anchor, start };
    }
    this.fail('did not find expected node content', token.start, block ? 'while parsing a block node' : 'while parsing a flow node', start);
  }

  /** The start of a block collection (its first entry): its token's mark is the context of later errors. */
  private openBlockCollection(first: boolean): void {
    if (!first) return;
    this.marks.push(this.peek().start);
    this.skipToken();
  }

  /** A BLOCK-END, `]` or `}` closes the collection. */
  private closeCollection(token: Token, type: 'SEQUENCE-END' | 'MAPPING-END'): ParseEvent {
    this.pop();
    this.marks.pop();
    this.skipToken();
    return { type, start: token.start };
  }

  /**
   * After an indicator (`-`, `?`, `:`): the node that follows, or an empty scalar at the indicator's end when
   * the next token cannot start one. `next` is the state after it.
   */
  private afterIndicator(stops: readonly TokenType[], next: ParserState, indentlessSequence: boolean): ParseEvent {
    const mark = this.peek().end;
    this.skipToken();
    if (!stops.includes(this.peek().type)) {
      this.states.push(next);
      return this.node(true, indentlessSequence);
    }
    this.state = next;
    return { type: 'SCALAR', start: mark };
  }

  /** yaml_parser_parse_block_sequence_entry. */
  private blockSequenceEntry(first: boolean): ParseEvent {
    this.openBlockCollection(first);
    const token = this.peek();
    if (token.type === 'BLOCK-ENTRY') return this.afterIndicator(['BLOCK-ENTRY', 'BLOCK-END'], 'BLOCK-SEQUENCE-ENTRY', false);
    if (token.type === 'BLOCK-END') return this.closeCollection(token, 'SEQUENCE-END');
    this.fail("did not find expected '-' indicator", token.start, 'while parsing a block collection', this.marks.pop());
  }

  /** yaml_parser_parse_indentless_sequence_entry. */
  private indentlessSequenceEntry(): ParseEvent {
    const token = this.peek();
    if (token.type === 'BLOCK-ENTRY') return this.afterIndicator(['BLOCK-ENTRY', 'KEY', 'VALUE', 'BLOCK-END'], 'INDENTLESS-SEQUENCE-ENTRY', false);
    this.pop();
    return { type: 'SEQUENCE-END', start: token.start };
  }

  /** yaml_parser_parse_block_mapping_key. */
  private blockMappingKey(first: boolean): ParseEvent {
    this.openBlockCollection(first);
    const token = this.peek();
    if (token.type === 'KEY') return this.afterIndicator(['KEY', 'VALUE', 'BLOCK-END'], 'BLOCK-MAPPING-VALUE', true);
    if (token.type === 'BLOCK-END') return this.closeCollection(token, 'MAPPING-END');
    this.fail('did not find expected key', token.start, 'while parsing a block mapping', this.marks.pop());
  }

  /** yaml_parser_parse_block_mapping_value. */
  private blockMappingValue(): ParseEvent {
    const token = this.peek();
    if (token.type === 'VALUE') return this.afterIndicator(['KEY', 'VALUE', 'BLOCK-END'], 'BLOCK-MAPPING-KEY', true);
    this.state = 'BLOCK-MAPPING-KEY';
    return { type: 'SCALAR', start: token.start };
  }

  /** yaml_parser_parse_flow_sequence_entry. */
  private flowSequenceEntry(first: boolean): ParseEvent {
    const token = this.nextFlowItem(first, 'FLOW-SEQUENCE-END', "did not find expected ',' or ']'", 'while parsing a flow sequence');
    if (token.type === 'KEY') {
      this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-KEY';
      this.skipToken();
      return { type: 'MAPPING-START', start: token.start };
    }
    if (token.type !== 'FLOW-SEQUENCE-END') {
      this.states.push('FLOW-SEQUENCE-ENTRY');
      return this.node(false, false);
    }
    return this.closeCollection(token, 'SEQUENCE-END');
  }

  /**
   * The shared start of yaml_parser_parse_flow_sequence_entry and yaml_parser_parse_flow_mapping_key: the
   * collection's start token on the first item, then (unless it ends) a `,` before every later item.
   */
  private nextFlowItem(first: boolean, end: TokenType, problem: string, context: string): Token {
    if (first) {
      this.marks.push(this.peek().start);
      this.skipToken();
    }
    const token = this.peek();
    if (first || token.type === end) return token;
    if (token.type !== 'FLOW-ENTRY') this.fail(problem, token.start, context, this.marks.pop());
    this.skipToken();
    return this.peek();
  }

  /** yaml_parser_parse_flow_sequence_entry_mapping_key. */
  private flowSequenceEntryMappingKey(): ParseEvent {
    const token = this.peek();
    if (token.type !== 'VALUE' && token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-SEQUENCE-END') {
      this.states.push('FLOW-SEQUENCE-ENTRY-MAPPING-VALUE');
      return this.node(false, false);
    }
    const mark = token.end;
    this.skipToken();
    this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-VALUE';
    return { type: 'SCALAR', start: mark };
  }

  /** yaml_parser_parse_flow_sequence_entry_mapping_value. */
  private flowSequenceEntryMappingValue(): ParseEvent {
    const token = this.peek();
    if (token.type === 'VALUE') {
      this.skipToken();
      const next = this.peek();
      if (next.type !== 'FLOW-ENTRY' && next.type !== 'FLOW-SEQUENCE-END') {
        this.states.push('FLOW-SEQUENCE-ENTRY-MAPPING-END');
        return this.node(false, false);
      }
      // Go's inner `token` shadows the outer one: the empty value's mark stays the VALUE token's start.
    }
    this.state = 'FLOW-SEQUENCE-ENTRY-MAPPING-END';
    return { type: 'SCALAR', start: token.start };
  }

  /** yaml_parser_parse_flow_mapping_key. */
  private flowMappingKey(first: boolean): ParseEvent {
    let token = this.nextFlowItem(first, 'FLOW-MAPPING-END', "did not find expected ',' or '}'", 'while parsing a flow mapping');
    if (token.type === 'KEY') {
      this.skipToken();
      token = this.peek();
      if (token.type !== 'VALUE' && token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-MAPPING-END') {
        this.states.push('FLOW-MAPPING-VALUE');
        return this.node(false, false);
      }
      this.state = 'FLOW-MAPPING-VALUE';
      return { type: 'SCALAR', start: token.start };
    }
    if (token.type !== 'FLOW-MAPPING-END') {
      this.states.push('FLOW-MAPPING-EMPTY-VALUE');
      return this.node(false, false);
    }
    return this.closeCollection(token, 'MAPPING-END');
  }

  /** yaml_parser_parse_flow_mapping_value. */
  private flowMappingValue(empty: boolean): ParseEvent {
    let token = this.peek();
    if (empty) {
      this.state = 'FLOW-MAPPING-KEY';
      return { type: 'SCALAR', start: token.start };
    }
    if (token.type === 'VALUE') {
      this.skipToken();
      token = this.peek();
      if (token.type !== 'FLOW-ENTRY' && token.type !== 'FLOW-MAPPING-END') {
        this.states.push('FLOW-MAPPING-KEY');
        return this.node(false, false);
      }
    }
    this.state = 'FLOW-MAPPING-KEY';
    return { type: 'SCALAR', start: token.start };
  }
}

/** decode.go parser.fail: the line docker prints, and the message. */
function dockerMessage(error: GoYamlSyntaxError): string {
  let line = 0;
  const bump = error.kind === 'scanner' ? 1 : 0;
  if (error.contextMark && error.contextMark.line !== 0) line = error.contextMark.line + bump;
  else if (error.problemMark.line !== 0) line = error.problemMark.line + bump;
  return `yaml: ${line !== 0 ? `line ${line}: ` : ''}${error.problem}`;
}

export interface GoYamlScan {
  /** The error yaml.v3's Unmarshal stops at. */
  error?: GoYamlSyntaxError;
  /**
   * When more follows the first document (a `---` or `...` marker, a directive, or a line indented less than
   * the root collection, which ends it without a marker): the UTF-16 offset where that starts. Unmarshal reads
   * only the first document, so docker ignores everything from here on.
   */
  firstDocumentEnd?: number;
}

/**
 * What yaml.v3's Unmarshal (as docker's loader calls it) makes of this text: the error it stops at, or where
 * the first document ends. Only the first document is read, as Unmarshal does; aliases must name an anchor
 * defined earlier (decode.go parser.alias).
 */
export function scanGoYaml(text: string): GoYamlScan {
  const input = text === '' ? '\n' : text;
  // The characters the reader allows (isAllowedCharacter), tested natively first; the loop finds where one is not.
  for (let i = DISALLOWED_CHARACTER.test(input) ? 0 : input.length; i < input.length; i++) {
    const code = input.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (isAllowedCharacter(code)) continue;
    // The reader decodes ahead of the scanner, so this wins over any later syntax error.
    const before = input.slice(0, i);
    const line = before.split('\n').length - 1;
    const problemMark = { index: i, line, column: i - (before.lastIndexOf('\n') + 1) };
    return { error: { kind: 'reader', problem: 'control characters are not allowed', problemMark, dockerMessage: 'yaml: control characters are not allowed' } };
  }
  const scanner = new Scanner(input);
  const parser = new Parser(scanner);
  const anchors = new Set<string>();
  try {
    for (;;) {
      const event = parser.next();
      if (event.type === 'ALIAS' && !anchors.has(event.anchor!)) {
        const problem = `unknown anchor '${event.anchor}' referenced`;
        return { error: { kind: 'anchor', problem, problemMark: event.start, dockerMessage: `yaml: ${problem}` } };
      }
      if (event.anchor !== undefined && event.type !== 'ALIAS') anchors.add(event.anchor);
      if (event.type === 'STREAM-END') return {};
      if (event.type === 'DOCUMENT-END') {
        return event.next === 'STREAM-END' ? {} : { firstDocumentEnd: scanner.utf16Offset(event.start.index) };
      }
    }
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    return { error: { ...err.error, dockerMessage: dockerMessage(err.error) } };
  }
}

/** The error yaml.v3's Unmarshal stops at for this text, or undefined when the first document parses. */
export function findGoYamlSyntaxError(text: string): GoYamlSyntaxError | undefined {
  return scanGoYaml(text).error;
}

/** A step into a YAML/JSON tree: a mapping key or a sequence index. */
export type PathSeg = string | number;
export type Path = readonly PathSeg[];

/** 1-based line and column, 0-based offset into the file text. */
export interface SourcePos {
  line: number;
  column: number;
  offset: number;
}

export interface SourceRange {
  start: SourcePos;
  end: SourcePos;
}

/** Where a value came from: a file (recipe-relative or as given on the command line) and a path into it. */
export interface Origin {
  file: string;
  /** Path into that file's raw document (before normalisation), e.g. ['services','web','ports',1]. */
  path: Path;
}

/**
 * Plain data as docker's yaml.v3 decode yields it: string, number (int or float), bigint (an integer too
 * large for a JS number), boolean, null, arrays, and objects with string keys. A mapping with a key that is
 * not a string is kept as a `NonStringKeyMap` (docker fails on it later, at schema validation).
 */
export type YamlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | YamlValue[]
  | { [key: string]: YamlValue }
  | NonStringKeyMap;

export class NonStringKeyMap {
  constructor(
    public readonly entries: Array<[unknown, YamlValue]>,
  ) {}
}

/** Load failures, worded as docker's CLI words them (`message`), with the position a linter reports. */
export interface LoadError {
  kind: 'yaml-syntax' | 'duplicate-key' | 'unknown-anchor' | 'not-a-mapping' | 'read-error' | 'limit';
  message: string;
  /** docker CLI's own text for this error, when it differs from `message`. */
  dockerMessage: string;
  range?: SourceRange;
}

/**
 * One compose file, parsed once. Everything later stages need about the source is here: the text,
 * the decoded data, and a way from any logical path back to file:line:col.
 */
/** A comment: 1-based line and column of its '#', and its text after the '#'. */
export interface FileComment {
  line: number;
  column: number;
  text: string;
}

/**
 * A YAML tag yaml.v3 leaves unresolved (compose's `!reset` / `!override`, any `!name`), where it is written.
 * docker stack reads the tagged scalar as its text, and a tagged mapping or sequence as if it were untagged.
 */
export interface FileTag {
  /** As written, e.g. `!reset`. */
  tag: string;
  /** Logical path of the tagged value. */
  path: Path;
  kind: 'scalar' | 'mapping' | 'sequence';
  /** Range of the tag itself. */
  range: SourceRange;
  /** The tagged scalar's text (what docker reads as a string). */
  text?: string;
  /** A tagged mapping or sequence with no entries. */
  empty?: boolean;
}

export interface FileDoc {
  /** Absolute path on disk ('-' for stdin). */
  absPath: string;
  /** The name findings use: relative to the recipe root, or as given on the command line. */
  file: string;
  text: string;
  /** Decoded data; undefined when the file failed to load (see `errors`). */
  data: YamlValue | undefined;
  errors: LoadError[];
  /** Range of the value at `path` (aliases resolve to the alias' own position). */
  locate(path: Path): SourceRange | undefined;
  /** Range of the mapping key that holds the value at `path` (falls back to the value's range). */
  locateKey(path: Path): SourceRange | undefined;
  /** 1-based line -> its text, for snippets. */
  lineText(line: number): string;
  /** Comments in the file, for suppressions: line (1-based) and text without the leading '#'. Found on first call. */
  comments(): readonly FileComment[];
  /** Tags yaml.v3 does not resolve, in document order (none for a file that failed to load). Found on first call. */
  tags?(): readonly FileTag[];
}

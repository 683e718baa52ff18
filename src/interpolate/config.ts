// docker CLI's interpolation of a whole compose file (cli/compose/interpolation): every string
// value, never a key, then a typed cast for a fixed list of paths.
import { NonStringKeyMap } from '../load/types.js';
import type { Path, PathSeg, YamlValue } from '../load/types.js';
import { castForPath } from './casts.js';
import { interpolateString, MAX_INTERPOLATED_LENGTH } from './template.js';
import type { Lookup, VariableUse } from './template.js';

export interface ConfigVariableUse extends VariableUse {
  /** Where the value holding the reference is. */
  path: Path;
}

export interface ConfigInterpolationError {
  path: Path;
  /** docker's dotted path (list items are `[]`), as it prints it. */
  dockerPath: string;
  dockerMessage: string;
}

export interface InterpolateConfigResult {
  /** The interpolated copy; values that failed keep their original text. */
  data: YamlValue;
  uses: ConfigVariableUse[];
  /** The error docker reports: the first one in document order (docker's own order is random). */
  error?: ConfigInterpolationError;
  /** Every value docker would reject, in document order (unless `stopAtFirstError`). */
  errors: ConfigInterpolationError[];
  /** Values left as written because substituting them would pass MAX_INTERPOLATED_LENGTH or the file's budget. */
  tooLong: Path[];
}

/** Text substitution may build across one file's values (UTF-16 units); beyond it values are left as written. */
export const MAX_INTERPOLATED_FILE_LENGTH = 16 * 1024 * 1024;

export interface InterpolateConfigOptions {
  /** Stop at the first error like docker does (default: keep going, to report every one). */
  stopAtFirstError?: boolean;
  /** Leave `uses` empty (default: list every variable reference): the pipeline needs none of them. */
  skipUses?: boolean;
}

class Walker {
  readonly uses: ConfigVariableUse[] = [];
  readonly errors: ConfigInterpolationError[] = [];
  readonly tooLong: Path[] = [];
  /** What is left of MAX_INTERPOLATED_FILE_LENGTH. */
  private remaining = MAX_INTERPOLATED_FILE_LENGTH;
  /** The path being walked; copied only where a value holds a `$` (most hold none). */
  private readonly path: PathSeg[] = [];

  constructor(
    private readonly lookup: Lookup,
    private readonly stopAtFirstError: boolean,
    private readonly collectUses: boolean,
  ) {}

  private get stopped(): boolean {
    return this.stopAtFirstError && this.errors.length > 0;
  }

  // Copy on write: a list or mapping whose values all come back unchanged is returned itself, so the
  // (immutable) parsed data is shared, not copied, wherever a file has no `$` — most of every file.
  walk(value: YamlValue): YamlValue {
    if (this.stopped) return value;
    if (typeof value === 'string') return value.includes('$') ? this.interpolateValue(value) : value;
    if (Array.isArray(value)) {
      let out: YamlValue[] | undefined;
      for (let i = 0; i < value.length; i++) {
        this.path.push(i);
        const child = this.walk(value[i]);
        this.path.pop();
        if (child !== value[i]) (out ??= value.slice())[i] = child;
      }
      return out ?? value;
    }
    if (value === null || typeof value !== 'object' || value instanceof NonStringKeyMap) return value;
    return this.walkMapping(value);
  }

  walkMapping(mapping: { [key: string]: YamlValue }): YamlValue {
    let out: { [key: string]: YamlValue } | undefined;
    for (const key of Object.keys(mapping)) {
      this.path.push(key);
      const child = this.walk(mapping[key]);
      this.path.pop();
      if (child !== mapping[key]) setOwn((out ??= copyMapping(mapping)), key, child);
    }
    return out ?? mapping;
  }

  /** docker's dotted path of the current value: list items are `[]`. */
  private dockerPath(): string {
    return this.path.map((seg) => (typeof seg === 'number' ? '[]' : seg)).join('.');
  }

  private interpolateValue(value: string): YamlValue {
    const path = [...this.path];
    const dockerPath = this.dockerPath();
    const result = interpolateString(value, this.lookup, { dockerPath, maxLength: Math.min(MAX_INTERPOLATED_LENGTH, this.remaining) });
    if (this.collectUses) for (const use of result.uses) this.uses.push({ ...use, path });
    if (result.tooLong) {
      this.tooLong.push(path);
      return value;
    }
    this.remaining -= result.value.length;
    if (result.error) return this.fail(value, path, dockerPath, result.error.dockerMessage);
    // docker casts only when substitution changed the text: a literal "3" stays a string.
    if (result.value === value) return value;
    const cast = castForPath(dockerPath);
    if (!cast) return result.value;
    const casted = cast(result.value);
    if (casted.ok) return casted.value;
    const message = `error while interpolating ${dockerPath}: failed to cast to expected type: ${casted.error}`;
    return this.fail(value, path, dockerPath, message);
  }

  private fail(original: string, path: Path, dockerPath: string, dockerMessage: string): YamlValue {
    this.errors.push({ path, dockerPath, dockerMessage });
    return original;
  }
}

function copyMapping(mapping: { [key: string]: YamlValue }): { [key: string]: YamlValue } {
  const out: { [key: string]: YamlValue } = {};
  for (const key of Object.keys(mapping)) setOwn(out, key, mapping[key]);
  return out;
}

/** A `__proto__` key is data here: assigning it would set the object's prototype instead. */
function setOwn(out: { [key: string]: YamlValue }, key: string, value: YamlValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * Interpolates every string value of one compose file as docker's CLI does (values only, never
 * keys; `NonStringKeyMap` values untouched), then casts the values docker casts. docker walks Go
 * maps in random order and stops at the first error; we walk in document order, so `error` is
 * the first error in the file.
 */
export function interpolateConfig(data: YamlValue, lookup: Lookup, opts: InterpolateConfigOptions = {}): InterpolateConfigResult {
  const walker = new Walker(lookup, opts.stopAtFirstError ?? false, !opts.skipUses);
  const isMapping = data !== null && typeof data === 'object' && !Array.isArray(data) && !(data instanceof NonStringKeyMap);
  const out = isMapping ? walker.walkMapping(data as { [key: string]: YamlValue }) : data;
  const result: InterpolateConfigResult = { data: out, uses: walker.uses, errors: walker.errors, tooLong: walker.tooLong };
  if (walker.errors.length > 0) result.error = walker.errors[0];
  return result;
}

// docker's typed load of ONE compose file (cli/compose/loader: LoadServices, LoadNetworks, …): short
// syntax to long, list/map forms to maps, durations and sizes parsed, env_file and host variables
// folded into `environment`, bind paths resolved. Input is one file's interpolated, schema-valid data.
import { NonStringKeyMap } from '../load/types.js';
import type { Path, PathSeg, YamlValue } from '../load/types.js';
import { dockerVersion } from '../schema/version.js';
import { parseDockerEnvFile } from './env-file.js';
import {
  compareGoStrings,
  dockerAbsPath,
  formatGoDuration,
  goSprint,
  goSprintS,
  parseGoDuration,
  ramInBytes,
  shlexSplit,
} from './go.js';
import { childOrigin, originLeaf, originNode } from './origins.js';
import { expandShortPort } from './ports.js';
import { DEFINITION_SECTIONS, DEFINITION_SPECS, SERVICE_SPEC } from './spec.js';
import type { DefinitionSection, StructSpec, TypeSpec } from './spec.js';
import type {
  ComposeConfig,
  ConfigObject,
  ConfigValue,
  DroppedEntry,
  NormaliseContext,
  LoadError,
  NormalisedFile,
  NormaliseSource,
  OriginNode,
  ZeroMention,
} from './types.js';
import { parseShortVolume, resolveBindSource } from './volumes.js';
import { pushAll } from '../load/collections.js';

type Mapping = { [key: string]: YamlValue };

/** A converted value and, when normalisation moved things, where its parts came from. */
interface Out {
  value: ConfigValue;
  origin?: OriginNode;
}

/** Where a value is: its normalised path, its raw path, and its name in mapstructure's error messages. */
interface At {
  path: Path;
  raw: Path;
  goName: string;
}

function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NonStringKeyMap);
}

/** Like obj[k] = v, but safe for keys such as __proto__. */
export function setKey<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

// mapstructure names fields by their `mapstructure` tag, else by the Go field name.
const GO_NAMES: Record<string, string> = {
  build: 'Build', command: 'Command', configs: 'Configs', deploy: 'Deploy', entrypoint: 'Entrypoint',
  environment: 'Environment', healthcheck: 'HealthCheck', labels: 'Labels', logging: 'Logging', networks: 'Networks',
  ports: 'Ports', secrets: 'Secrets', ulimits: 'Ulimits', volumes: 'Volumes', resources: 'Resources', limits: 'Limits',
  reservations: 'Reservations', interval: 'Interval', timeout: 'Timeout', retries: 'Retries', delay: 'Delay',
  window: 'Window', monitor: 'Monitor', test: 'Test', image: 'Image', dns: 'DNS', tmpfs: 'Tmpfs', user: 'User',
};

function child(at: At, seg: PathSeg, rawSeg: PathSeg = seg): At {
  const name = typeof seg === 'number' ? `${at.goName}[${seg}]` : `${at.goName ? `${at.goName}.` : ''}${GO_NAMES[seg] ?? seg}`;
  return { path: [...at.path, seg], raw: [...at.raw, rawSeg], goName: name };
}

const VERSION_RE = /^[0-9]+(\.[0-9]+)*$/;

/** docker's versions.GreaterThanOrEqualTo on dotted versions. */
function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map((p) => (VERSION_RE.test(p) ? Number(p) : 0));
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

class Normaliser {
  readonly warnings: string[] = [];
  zeros: ZeroMention[] = [];
  readonly dropped: DroppedEntry[] = [];
  /** mapstructure's decode errors of the service being loaded, and the raw path of the first. */
  private decodeErrors: string[] = [];
  private firstDecodeError: Path | undefined;

  constructor(
    readonly file: string,
    readonly version: string,
    readonly ctx: NormaliseContext,
    readonly source: NormaliseSource | undefined,
  ) {}

  // --- scalars -------------------------------------------------------------------------------

  /** Whether the number at a raw path was written as a YAML float (`1e6`), which Go prints differently. */
  private isFloat(raw: Path, value: YamlValue): boolean {
    if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) < 1e6 || !this.source) return false;
    const range = this.source.locate(raw);
    if (!range) return false;
    const text = this.source.text.slice(range.start.offset, range.end.offset).trim();
    return !/^[-+]?0[xXoObB]/.test(text) && /^[-+]?[0-9_]*[.eE]/.test(text);
  }

  private sprint(value: YamlValue, raw: Path): string {
    return goSprint(value, this.isFloat(raw, value));
  }

  private zero(at: At, kind: ZeroMention['kind']): void {
    // Only service fields merge value by value; entries of lists merge whole.
    if (at.path[0] !== 'services' || at.path.some((seg) => typeof seg === 'number')) return;
    this.zeros.push({ path: at.path, raw: at.raw, kind });
  }

  private decodeError(at: At, message: string): void {
    this.decodeErrors.push(`error decoding '${at.goName}': ${message}`);
    this.firstDecodeError ??= at.raw;
  }

  private scalar(spec: Extract<TypeSpec, { kind: 'scalar' }>, raw: YamlValue, at: At): Out | undefined {
    let value: ConfigValue;
    let isZero: boolean;
    switch (spec.type) {
      case 'string':
        value = typeof raw === 'string' ? raw : this.sprint(raw, at.raw);
        isZero = value === '';
        break;
      case 'bool':
        value = raw === true;
        isZero = !value;
        break;
      case 'int':
      case 'float32':
        value = typeof raw === 'number' || typeof raw === 'bigint' ? raw : numberOf(raw);
        isZero = value === 0 || value === 0n;
        break;
      case 'duration': {
        if (typeof raw !== 'string') {
          this.decodeError(at, `invalid type ${typeof raw === 'number' ? 'int' : typeof raw} for duration`);
          return undefined;
        }
        const parsed = parseGoDuration(raw);
        if (!parsed.ok) {
          this.decodeError(at, parsed.error);
          return undefined;
        }
        value = formatGoDuration(parsed.value);
        isZero = parsed.value === 0n;
        break;
      }
      case 'bytes': {
        if (typeof raw === 'number' || typeof raw === 'bigint') {
          value = raw;
        } else {
          const parsed = ramInBytes(textOf(raw));
          if (!parsed.ok) {
            this.decodeError(at, parsed.error);
            return undefined;
          }
          value = parsed.value;
        }
        isZero = value === 0 || value === 0n;
        break;
      }
    }
    if (isZero) {
      // A pointer keeps its zero; *Duration and *bool zeros still do not override a set base value.
      const nonOverriding = !spec.pointer || spec.type === 'duration' || spec.type === 'bool';
      if (nonOverriding) this.zero(at, 'scalar');
      if (!spec.pointer) return undefined;
    }
    return { value };
  }

  // --- generic conversion by spec --------------------------------------------------------------

  convert(spec: TypeSpec, raw: YamlValue, at: At): Out | undefined {
    switch (spec.kind) {
      case 'scalar':
        return raw === null ? undefined : this.scalar(spec, raw, at);
      case 'struct':
        return this.struct(spec, raw, at);
      case 'list':
        return this.list(spec, raw, at);
      case 'map':
        return spec.merge === 'env' ? this.mappingWithEquals(raw, at) : spec.merge === 'override' ? this.labels(raw, at) : undefined;
      case 'ulimit':
        return this.ulimit(raw);
      case 'any':
        return { value: raw as ConfigValue };
    }
  }

  /** A struct: fields in docker's order, x- keys inline where docker keeps them, anything else dropped. */
  struct(spec: StructSpec, raw: YamlValue, at: At, keepExtensions = spec.extensions ?? false): Out | undefined {
    if (!isMapping(raw)) return undefined; // null decodes to the zero value (nil for a pointer)
    const obj: ConfigObject = {};
    const kids = new Map<PathSeg, OriginNode>();
    for (const [name, fieldSpec] of spec.fields) {
      if (!Object.hasOwn(raw, name)) continue;
      const out = this.field(fieldSpec, raw[name], child(at, name));
      if (!out) continue;
      setKey(obj, name, out.value);
      if (out.origin) kids.set(name, out.origin);
    }
    for (const key of Object.keys(raw)) {
      if (spec.fields.some(([name]) => name === key)) continue;
      if (key.startsWith('x-') && keepExtensions) {
        setKey(obj, key, raw[key] as ConfigValue);
      } else {
        this.dropField(child(at, key), key);
      }
    }
    if (Object.keys(obj).length === 0 && !spec.pointer) return undefined; // a zero struct prints nothing
    return { value: obj, origin: kids.size > 0 ? originNode(at.raw, kids) : undefined };
  }

  private dropField(at: At, key: string): void {
    const reason = key.startsWith('x-')
      ? `docker keeps the x- keys of ${String(at.path[0])} definitions only when they are external`
      : `docker's schema accepts \`${key}\` but its compose types have no such field: the typed load drops it without a word`;
    this.dropped.push({ what: 'field-dropped', path: at.path, origin: { file: this.file, path: at.raw }, reason });
  }

  /** Per-field special cases of docker's transformers, else the generic conversion. */
  private field(spec: TypeSpec, raw: YamlValue, at: At): Out | undefined {
    const key = at.path[at.path.length - 1];
    const inService = at.path[0] === 'services';
    if (inService) {
      const where = at.path.slice(2).filter((s) => typeof s === 'string').join('.');
      switch (where) {
        case 'build':
          return typeof raw === 'string'
            ? { value: { context: raw }, origin: originLeaf(at.raw) }
            : this.struct(spec as StructSpec, raw, at);
        case 'command':
        case 'entrypoint':
          return this.shellCommand(raw, at);
        case 'healthcheck.test':
          return typeof raw === 'string'
            ? { value: ['CMD-SHELL', raw], origin: originLeaf(at.raw) }
            : this.list(spec as Extract<TypeSpec, { kind: 'list' }>, raw, at);
        case 'extra_hosts':
        case 'build.extra_hosts':
          return this.hostsList(raw, at);
        case 'ports':
          return this.ports(raw, at);
        case 'volumes':
          return this.volumes(raw, at);
        case 'secrets':
        case 'configs':
          return this.fileReferences(spec as Extract<TypeSpec, { kind: 'list' }>, raw, at);
        case 'networks':
          return this.serviceNetworks(spec as Extract<TypeSpec, { kind: 'map' }>, raw, at);
        case 'ulimits':
          return this.ulimits(raw, at);
      }
    }
    if (key === 'external' && at.path.length === 3) return this.external(raw);
    return this.convert(spec, raw, at);
  }

  // --- lists -----------------------------------------------------------------------------------

  private list(spec: Extract<TypeSpec, { kind: 'list' }>, raw: YamlValue, at: At): Out | undefined {
    if (typeof raw === 'string' && spec.of.kind === 'scalar') {
      return { value: [raw], origin: originNode(at.raw, new Map([[0, originLeaf(at.raw)]])) };
    }
    if (!Array.isArray(raw)) return undefined;
    if (raw.length === 0) this.zero(at, 'list');
    const out: ConfigValue[] = [];
    const kids = new Map<PathSeg, OriginNode>();
    raw.forEach((item, i) => {
      if (item === null && spec.of.kind === 'struct') {
        out.push(null);
        return;
      }
      const converted =
        spec.of.kind === 'scalar' ? { value: typeof item === 'string' ? item : this.sprint(item, [...at.raw, i]) } : this.convert(spec.of, item, child(at, i));
      out.push(converted?.value ?? {});
      if (converted?.origin) kids.set(i, converted.origin);
    });
    return { value: out, origin: kids.size > 0 ? originNode(at.raw, kids) : undefined };
  }

  private shellCommand(raw: YamlValue, at: At): Out | undefined {
    if (typeof raw === 'string') {
      const words = shlexSplit(raw);
      if (!words.ok) {
        this.decodeError(at, words.error);
        return undefined;
      }
      if (words.value.length === 0) this.zero(at, 'list');
      return { value: words.value, origin: originLeaf(at.raw) };
    }
    return this.list({ kind: 'list', of: { kind: 'scalar', type: 'string' }, merge: 'command' }, raw, at);
  }

  /** docker's transformHostsList: `host:ip` entries ("=" or ":" in a list, sorted from a map), [::1] unbracketed. */
  private hostsList(raw: YamlValue, at: At): Out | undefined {
    const entries: Array<[string, PathSeg]> = [];
    if (isMapping(raw)) {
      const keys = Object.keys(raw).filter((k) => raw[k] !== null);
      const lines = keys.map((k) => [`${k}:${goSprintS(raw[k], this.isFloat([...at.raw, k], raw[k]))}`, k] as [string, PathSeg]);
      lines.sort((a, b) => compareGoStrings(a[0], b[0]));
      pushAll(entries, lines);
    } else if (Array.isArray(raw)) {
      raw.forEach((item, i) => {
        const text = this.sprint(item, [...at.raw, i]);
        for (const sep of ['=', ':']) {
          const cut = text.indexOf(sep);
          if (cut >= 0) {
            entries.push([`${text.slice(0, cut)}:${text.slice(cut + 1)}`, i]);
            break;
          }
        }
      });
    } else {
      return undefined;
    }
    if (entries.length === 0) this.zero(at, 'list');
    const kids = new Map<PathSeg, OriginNode>();
    const value = entries.map(([line, rawSeg], i) => {
      kids.set(i, originLeaf([...at.raw, rawSeg]));
      const cut = line.indexOf(':');
      const host = line.slice(0, cut);
      let ip = line.slice(cut + 1);
      if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
      return `${host}:${ip}`;
    });
    return { value, origin: originNode(at.raw, kids) };
  }

  private ports(raw: YamlValue, at: At): Out | undefined {
    if (!Array.isArray(raw)) return undefined;
    if (raw.length === 0) this.zero(at, 'list');
    const value: ConfigValue[] = [];
    const kids = new Map<PathSeg, OriginNode>();
    for (let i = 0; i < raw.length; i++) {
      const item = raw[i];
      const itemRaw = [...at.raw, i];
      if (typeof item === 'number' || typeof item === 'bigint' || typeof item === 'string') {
        const expanded = expandShortPort(typeof item === 'string' ? item : String(item), (w) => this.warnings.push(w));
        if (!expanded.ok) {
          this.decodeError(at, expanded.error);
          return undefined;
        }
        for (const p of expanded.value) {
          const port: ConfigObject = { mode: p.mode, target: p.target };
          if (p.published !== 0) port.published = p.published;
          port.protocol = p.protocol;
          kids.set(value.length, originLeaf(itemRaw));
          value.push(port);
        }
      } else if (isMapping(item)) {
        const out = this.struct(SERVICE_PORT_SPEC, item, child(at, value.length, i));
        kids.set(value.length, out?.origin ?? originNode(itemRaw));
        value.push(out?.value ?? {});
      }
    }
    return { value, origin: originNode(at.raw, kids) };
  }

  private volumes(raw: YamlValue, at: At): Out | undefined {
    if (!Array.isArray(raw)) return undefined;
    if (raw.length === 0) this.zero(at, 'list');
    const value: ConfigValue[] = [];
    const kids = new Map<PathSeg, OriginNode>();
    raw.forEach((item, i) => {
      if (typeof item === 'string') {
        const parsed = parseShortVolume(item);
        if (!parsed.ok) {
          this.decodeError(child(at, i), parsed.error);
          return;
        }
        kids.set(i, originLeaf([...at.raw, i]));
        value.push(parsed.value as ConfigObject);
      } else {
        const out = this.struct(SERVICE_VOLUME_SPEC, item, child(at, i));
        if (out?.origin) kids.set(i, out.origin);
        value.push(out?.value ?? {});
      }
    });
    return { value, origin: originNode(at.raw, kids) };
  }

  private fileReferences(spec: Extract<TypeSpec, { kind: 'list' }>, raw: YamlValue, at: At): Out | undefined {
    if (!Array.isArray(raw)) return undefined;
    if (raw.length === 0) this.zero(at, 'list');
    const kids = new Map<PathSeg, OriginNode>();
    const value = raw.map((item, i): ConfigValue => {
      if (typeof item === 'string') {
        kids.set(i, originLeaf([...at.raw, i]));
        return { source: item };
      }
      const out = this.struct(spec.of as StructSpec, item, child(at, i));
      if (out?.origin) kids.set(i, out.origin);
      return out?.value ?? {};
    });
    return { value, origin: originNode(at.raw, kids) };
  }

  // --- maps ------------------------------------------------------------------------------------

  /** Labels, sysctls, driver_opts …: `k=v` list entries or a map; a missing value is "". */
  private labels(raw: YamlValue, at: At): Out | undefined {
    const { value, origin } = this.keyValues(raw, at, false);
    if (!value) return undefined;
    return { value, origin };
  }

  /** environment, build.args: `K` (no =) and null values are null. */
  private mappingWithEquals(raw: YamlValue, at: At): Out | undefined {
    const { value, origin } = this.keyValues(raw, at, true);
    if (!value) return undefined;
    return { value, origin };
  }

  private keyValues(raw: YamlValue, at: At, allowNull: boolean): { value?: ConfigObject; origin?: OriginNode } {
    const value: ConfigObject = {};
    const kids = new Map<PathSeg, OriginNode>();
    if (Array.isArray(raw)) {
      raw.forEach((item, i) => {
        const text = typeof item === 'string' ? item : this.sprint(item, [...at.raw, i]);
        const eq = text.indexOf('=');
        const key = eq >= 0 ? text.slice(0, eq) : text;
        setKey(value, key, eq >= 0 ? text.slice(eq + 1) : allowNull ? null : '');
        kids.set(key, originLeaf([...at.raw, i]));
      });
    } else if (isMapping(raw)) {
      for (const key of Object.keys(raw)) {
        const v = raw[key];
        setKey(value, key, v === null ? (allowNull ? null : '') : this.sprint(v, [...at.raw, key]));
      }
    } else {
      return {};
    }
    if (Object.keys(value).length === 0) this.zero(at, 'map');
    return { value, origin: kids.size > 0 ? originNode(at.raw, kids) : undefined };
  }

  private serviceNetworks(spec: Extract<TypeSpec, { kind: 'map' }>, raw: YamlValue, at: At): Out | undefined {
    const value: ConfigObject = {};
    const kids = new Map<PathSeg, OriginNode>();
    if (Array.isArray(raw)) {
      raw.forEach((name, i) => {
        const key = this.sprint(name, [...at.raw, i]);
        setKey(value, key, null);
        kids.set(key, originLeaf([...at.raw, i]));
      });
    } else if (isMapping(raw)) {
      for (const key of Object.keys(raw)) {
        const out = raw[key] === null ? undefined : this.struct(spec.of as StructSpec, raw[key], child(at, key));
        setKey(value, key, out?.value ?? null);
        if (out?.origin) kids.set(key, out.origin);
      }
    } else {
      return undefined;
    }
    if (Object.keys(value).length === 0) this.zero(at, 'map');
    return { value, origin: kids.size > 0 ? originNode(at.raw, kids) : undefined };
  }

  private ulimits(raw: YamlValue, at: At): Out | undefined {
    if (!isMapping(raw)) return undefined;
    const value: ConfigObject = {};
    for (const key of Object.keys(raw)) {
      const out = this.ulimit(raw[key]);
      if (!out) {
        this.decodeError(child(at, key), `invalid type ${raw[key] === null ? '<nil>' : typeof raw[key]} for ulimits`);
        continue;
      }
      setKey(value, key, out.value);
    }
    if (Object.keys(value).length === 0) this.zero(at, 'map');
    return { value };
  }

  private ulimit(raw: YamlValue): Out | undefined {
    if (typeof raw === 'number' || typeof raw === 'bigint') return { value: raw };
    if (!isMapping(raw)) return undefined;
    return { value: { soft: (raw.soft ?? 0) as ConfigValue, hard: (raw.hard ?? 0) as ConfigValue } };
  }

  /** External.External and External.Name: a bool, or a mapping meaning true with an optional name. */
  private external(raw: YamlValue): Out | undefined {
    if (typeof raw === 'boolean') return raw ? { value: true } : undefined;
    if (isMapping(raw)) return { value: { name: typeof raw.name === 'string' ? raw.name : raw.name == null ? '' : this.sprint(raw.name, []) } };
    return undefined;
  }

  // --- services --------------------------------------------------------------------------------

  /**
   * LoadService: decode (collecting mapstructure's errors), then environment, then bind paths. docker stops at
   * the first error; this goes on without what failed, so that the service holds everything that loaded.
   */
  service(name: string, raw: YamlValue): { value: ConfigObject; origin?: OriginNode; errors: LoadError[] } {
    this.decodeErrors = [];
    this.firstDecodeError = undefined;
    const errors: LoadError[] = [];
    const at: At = { path: ['services', name], raw: ['services', name], goName: '' };
    const out: Out = this.struct(SERVICE_SPEC, raw, at) ?? { value: {} };
    if (this.decodeErrors.length > 0) {
      errors.push({ message: `decoding failed due to the following error(s):\n\n${this.decodeErrors.join('\n')}`, path: this.firstDecodeError ?? at.raw });
    }
    const service = out.value as ConfigObject;
    const kids = new Map<PathSeg, OriginNode>(out.origin?.kids ?? []);
    const declaredOrigin = kids.get('environment') ?? originNode([...at.raw, 'environment']);
    this.zeros = this.zeros.filter((z) => !(z.path.length >= 3 && z.path[2] === 'environment' && z.path[1] === name && z.path[0] === 'services'));
    const env = this.resolveEnvironment(service, raw as Mapping, declaredOrigin, at);
    pushAll(errors, env.errors);
    if (env.value) {
      setKey(service, 'environment', env.value);
      kids.set('environment', env.origin!);
    } else {
      delete service.environment;
      kids.delete('environment');
    }
    const volumeError = this.resolveVolumePaths(service);
    if (volumeError) errors.push({ message: volumeError, path: [...at.raw, 'volumes'] });
    return { value: reorder(service, SERVICE_SPEC), origin: originNode(at.raw, kids), errors };
  }

  /** env_file entries (relative to the first file's dir), overridden by `environment`; null/"" from the CLI env. */
  private resolveEnvironment(
    service: ConfigObject,
    rawService: Mapping,
    declaredOrigin: OriginNode,
    at: At,
  ): { value?: ConfigObject; origin?: OriginNode; errors: LoadError[] } {
    const fromFiles: Array<[string, string, OriginNode]> = [];
    const errors: LoadError[] = [];
    const envFiles = (service.env_file as string[] | undefined) ?? [];
    for (let i = 0; i < envFiles.length; i++) {
      const absPath = dockerAbsPath(this.ctx.workingDir, envFiles[i]);
      const fileRaw = typeof rawService.env_file === 'string' ? [...at.raw, 'env_file'] : [...at.raw, 'env_file', i];
      // docker stops here; the rest of the service still loads without this file's variables.
      const read = this.ctx.readEnvFile(absPath);
      if (!read.ok) {
        errors.push({ message: read.message, path: fileRaw });
        continue;
      }
      const parsed = parseDockerEnvFile(read.text, this.ctx.lookup);
      if (!parsed.ok) {
        errors.push({ message: `invalid env file (${absPath}): ${parsed.error}`, path: fileRaw });
        continue;
      }
      for (const entry of parsed.value) fromFiles.push([entry.key, entry.value, originLeaf(fileRaw)]);
    }
    const declared = service.environment as Record<string, string | null> | undefined;
    if (!declared && fromFiles.length === 0) return { errors };
    const values = new Map<string, string | null>();
    const kids = new Map<PathSeg, OriginNode>();
    const apply = (key: string, v: string | null, origin: OriginNode) => {
      const host = this.ctx.lookup(key);
      values.set(key, (v === null || v === '') && host !== undefined ? host : v);
      kids.set(key, origin);
    };
    for (const [key, v, origin] of fromFiles) apply(key, v, origin);
    for (const key of Object.keys(declared ?? {})) apply(key, declared![key], childOrigin(declaredOrigin, key));
    const value: ConfigObject = {};
    for (const key of [...values.keys()].sort(compareGoStrings)) {
      const v = values.get(key)!;
      setKey(value, key, v);
      if (v === null || v === '') this.zeros.push({ path: [...at.path, 'environment', key], raw: kids.get(key)!.raw, kind: 'scalar' });
    }
    if (values.size === 0) this.zero(child(at, 'environment'), 'map');
    return { value, origin: originNode([...at.raw, 'environment'], kids), errors };
  }

  private resolveVolumePaths(service: ConfigObject): string | undefined {
    const volumes = service.volumes as ConfigObject[] | undefined;
    if (!volumes) return undefined;
    for (const volume of volumes) {
      if (volume.type !== 'bind') continue;
      if (!volume.source) return 'invalid mount config for type "bind": field Source must not be empty';
      volume.source = resolveBindSource(volume.source as string, {
        workingDir: this.ctx.workingDir,
        home: this.ctx.home ?? this.ctx.lookup('HOME'),
        warn: (w) => this.warnings.push(w),
      });
    }
    return undefined;
  }

  // --- top-level definitions -------------------------------------------------------------------

  /** A top-level definition; on an error (docker's text) the definition as far as it loaded. */
  definition(section: DefinitionSection, name: string, raw: YamlValue): { value: ConfigObject; origin?: OriginNode; error?: string } {
    const at: At = { path: [section, name], raw: [section, name], goName: '' };
    const spec = DEFINITION_SPECS[section];
    const keepExtensions = section === 'secrets' || section === 'configs' || isExternal(raw);
    const out = this.struct({ ...spec, pointer: true }, raw, at, keepExtensions);
    const def = (out?.value ?? {}) as ConfigObject;
    const kids = new Map<PathSeg, OriginNode>(out?.origin?.kids ?? []);
    const error =
      section === 'secrets' || section === 'configs'
        ? this.fileObject(section, name, def, kids, at)
        : this.externalDefinition(section, name, def, kids, at);
    return { value: reorder(def, spec), origin: originNode(at.raw, kids), ...(error ? { error } : {}) };
  }

  /** LoadNetworks / LoadVolumes: external.name moves to name (with a deprecation warning), name defaults to the key. */
  private externalDefinition(section: 'networks' | 'volumes', name: string, def: ConfigObject, kids: Map<PathSeg, OriginNode>, at: At): string | undefined {
    const ext = def.external;
    if (ext === undefined) return undefined;
    const kind = section === 'networks' ? 'network' : 'volume';
    if (section === 'volumes') {
      for (const key of ['driver', 'driver_opts', 'labels']) {
        if (def[key] !== undefined && (typeof def[key] !== 'object' || Object.keys(def[key] as object).length > 0)) {
          return `conflicting parameters "external" and "${key}" specified for volume "${name}"`;
        }
      }
    }
    return this.moveExternalName(kind, section === 'networks' ? '3.5' : '3.4', name, def, kids, at);
  }

  private moveExternalName(kind: string, deprecatedFrom: string, name: string, def: ConfigObject, kids: Map<PathSeg, OriginNode>, at: At): string | undefined {
    const ext = def.external;
    const externalName = typeof ext === 'object' && ext !== null ? ((ext as ConfigObject).name as string) : '';
    def.external = true;
    if (externalName) {
      if (def.name) return `${kind} ${name}: ${kind}.external.name and ${kind}.name conflict; only use ${kind}.name`;
      if (versionAtLeast(this.version, deprecatedFrom)) {
        this.warnings.push(`${kind} ${name}: ${kind}.external.name is deprecated in favor of ${kind}.name`);
      }
      def.name = externalName;
      kids.set('name', originLeaf([...at.raw, 'external', 'name']));
    } else if (!def.name) {
      def.name = name;
      kids.set('name', originLeaf([...at.raw, 'external']));
    }
    kids.set('external', originLeaf([...at.raw, 'external']));
    return undefined;
  }

  /** loadFileObjectConfig: external as for networks; a driver excludes file; file made absolute. */
  private fileObject(section: 'secrets' | 'configs', name: string, def: ConfigObject, kids: Map<PathSeg, OriginNode>, at: At): string | undefined {
    const kind = section === 'secrets' ? 'secret' : 'config';
    if (def.external !== undefined) return this.moveExternalName(kind, '3.5', name, def, kids, at);
    if (def.driver) {
      if (def.file) return `${kind} ${name}: ${kind}.driver and ${kind}.file conflict; only use ${kind}.driver`;
      return undefined;
    }
    if (def.file === undefined) kids.set('file', originLeaf(at.raw));
    def.file = dockerAbsPath(this.ctx.workingDir, (def.file as string | undefined) ?? '');
    return undefined;
  }
}

const SERVICE_PORT_SPEC = (SERVICE_SPEC.fields.find(([n]) => n === 'ports')![1] as { of: StructSpec }).of;
const SERVICE_VOLUME_SPEC = (SERVICE_SPEC.fields.find(([n]) => n === 'volumes')![1] as { of: StructSpec }).of;

function isExternal(raw: YamlValue): boolean {
  return isMapping(raw) && (raw.external === true || isMapping(raw.external));
}

/** Fields in docker's order, then x- keys. */
function reorder(obj: ConfigObject, spec: StructSpec): ConfigObject {
  const out: ConfigObject = {};
  for (const [name] of spec.fields) if (Object.hasOwn(obj, name)) setKey(out, name, obj[name]);
  for (const key of Object.keys(obj)) if (!Object.hasOwn(out, key)) setKey(out, key, obj[key]);
  return out;
}

/**
 * docker's typed load of one file. `data` is the file after interpolation and schema validation;
 * `source` (the file's text and locator) lets Go's number formatting tell `1e6` from `1000000`.
 */
export function normaliseFile(data: YamlValue, file: string, ctx: NormaliseContext, source?: NormaliseSource): NormalisedFile {
  const version = dockerVersion(data);
  const n = new Normaliser(file, version, ctx, source);
  const config: ComposeConfig = { version, services: {} };
  const rootKids = new Map<PathSeg, OriginNode>();
  const root = isMapping(data) ? data : {};
  const errors: LoadError[] = [];
  // docker stops at its first error: the warnings it printed are those logged before it.
  let warningsBeforeError: number | undefined;
  const failed = (found: readonly LoadError[]) => {
    if (found.length === 0) return;
    warningsBeforeError ??= n.warnings.length;
    pushAll(errors, found);
  };

  // docker loads services and definitions ranging over Go maps, stopping at the first error: in sorted order
  // the first one is the error docker prints most often (see validateObject in src/schema/gojsonschema.ts).
  const services = isMapping(root.services) ? root.services : {};
  const serviceKids = new Map<PathSeg, OriginNode>();
  for (const name of Object.keys(services).sort(compareGoStrings)) {
    const loaded = n.service(name, services[name]);
    failed(loaded.errors);
    setKey(config.services, name, loaded.value);
    if (loaded.origin?.kids) serviceKids.set(name, loaded.origin);
  }
  if (serviceKids.size > 0) rootKids.set('services', originNode(['services'], serviceKids));

  for (const section of DEFINITION_SECTIONS) {
    if (!Object.hasOwn(root, section)) continue;
    const defs = isMapping(root[section]) ? (root[section] as Mapping) : {};
    const values: Record<string, ConfigObject> = {};
    const kids = new Map<PathSeg, OriginNode>();
    for (const name of Object.keys(defs).sort(compareGoStrings)) {
      const loaded = n.definition(section, name, defs[name]);
      if (loaded.error !== undefined) failed([{ message: loaded.error, path: [section, name] }]);
      setKey(values, name, loaded.value);
      if (loaded.origin?.kids) kids.set(name, loaded.origin);
    }
    config[section] = values;
    if (kids.size > 0) rootKids.set(section, originNode([section], kids));
  }

  for (const key of Object.keys(root)) {
    if (key.startsWith('x-')) setKey(config as unknown as ConfigObject, key, root[key] as ConfigValue);
  }
  return {
    file,
    version,
    config,
    origins: originNode([], rootKids),
    zeros: n.zeros,
    dropped: n.dropped,
    warnings: warningsBeforeError === undefined ? n.warnings : n.warnings.slice(0, warningsBeforeError),
    ...(errors.length > 0 ? { error: errors[0].message, errors } : {}),
  };
}

/** `String(raw)`, or Go's `map[]` for what has no primitive value (a mapping decoded without a prototype). */
function textOf(raw: unknown): string {
  try {
    return String(raw);
  } catch {
    return 'map[]';
  }
}

/** `Number(raw)`, or NaN for what has no primitive value (a mapping decoded without a prototype). */
function numberOf(raw: unknown): number {
  try {
    return Number(raw);
  } catch {
    return NaN;
  }
}

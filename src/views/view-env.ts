// The variables each view is interpolated with. Values are taken as abra's readers yield them (see
// env-file.ts and abra-sh.ts); nothing is expanded a second time.
import type { AbraShFile } from './abra-sh.js';
import { abraShExports } from './abra-sh.js';
import type { EnvFile } from './env-file.js';

/** Where a variable's value comes from, lowest precedence first. */
export type EnvOrigin = 'env-sample-commented' | 'env-sample' | 'abra-sh' | 'stack-name' | 'env-file';

/** A variable given for the run (`--env-file FILE`): what the deploying shell would hold. */
export interface EnvVariable {
  name: string;
  value: string;
  /** The env file as the user named it, and the line that sets the variable. */
  file: string;
  line: number;
}

export interface EnvBinding {
  name: string;
  value: string;
  origin: EnvOrigin;
  /** '.env.sample', 'abra.sh' or an --env-file; absent for the STACK_NAME placeholder. */
  file?: string;
  line?: number;
  column?: number;
}

export interface ViewEnvironment {
  readonly bindings: ReadonlyMap<string, EnvBinding>;
  /** The value of a variable, undefined when unset (docker then interpolates it as empty, with a warning). */
  readonly lookup: (name: string) => string | undefined;
}

/** A STACK_NAME as abra derives it from an app domain (`example.com` → `example_com`). */
export const DEFAULT_STACK_NAME = 'example_com';

export const ENV_SAMPLE_FILE = '.env.sample';
export const ABRA_SH_FILE = 'abra.sh';

/** What `abra recipe lint` interpolates with: the uncommented .env.sample values only, no STACK_NAME. */
export function abraEnvironment(envSample: EnvFile | undefined): ViewEnvironment {
  const bindings = new Map<string, EnvBinding>();
  for (const e of envSample?.entries ?? []) {
    if (e.commented) continue;
    bindings.set(e.key, { name: e.key, value: e.value, origin: 'env-sample', file: ENV_SAMPLE_FILE, line: e.line, column: e.column });
  }
  return fromBindings(bindings);
}

/**
 * What a deploy sees, as far as a recipe can tell: .env.sample values (commented `#KEY=value` lines count as
 * documented values; uncommented ones win over them; later lines win within each kind), then abra.sh
 * exports (abra applies them over the app env), then STACK_NAME; `given` (--env-file, the deploying shell's
 * variables as the user states them) wins over all of these.
 */
export function deployEnvironment(envSample: EnvFile | undefined, abraSh: AbraShFile | undefined, stackName = DEFAULT_STACK_NAME, given: readonly EnvVariable[] = []): ViewEnvironment {
  const bindings = new Map<string, EnvBinding>();
  const entries = envSample?.entries ?? [];
  for (const commented of [true, false]) {
    for (const e of entries) {
      if (e.commented !== commented) continue;
      const origin: EnvOrigin = commented ? 'env-sample-commented' : 'env-sample';
      bindings.set(e.key, { name: e.key, value: e.value, origin, file: ENV_SAMPLE_FILE, line: e.line, column: e.column });
    }
  }
  if (abraSh) {
    for (const a of abraShExports(abraSh).values()) {
      bindings.set(a.name, { name: a.name, value: a.value, origin: 'abra-sh', file: ABRA_SH_FILE, line: a.line, column: a.column });
    }
  }
  bindings.set('STACK_NAME', { name: 'STACK_NAME', value: stackName, origin: 'stack-name' });
  for (const v of given) bindings.set(v.name, { name: v.name, value: v.value, origin: 'env-file', file: v.file, line: v.line, column: 1 });
  return fromBindings(bindings);
}

function fromBindings(bindings: Map<string, EnvBinding>): ViewEnvironment {
  return { bindings, lookup: (name) => bindings.get(name)?.value };
}

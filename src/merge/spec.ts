// docker's compose types (cli/compose/types, CLI 28.2.2) as data: field order (the order `docker stack
// config` prints), which fields are pointers (zero kept and printed), and how mergo merges each field.
// One table drives both the merge and the printer.

/** Scalar kinds; `bytes` is a byte count printed as a quoted decimal (UnitBytes), `duration` a Go string. */
export type ScalarType = 'string' | 'bool' | 'int' | 'float32' | 'duration' | 'bytes';

/**
 * How a list merges: `append` (mergo AppendSlice), `command` (replaced when the overlay's is non-empty),
 * or keyed by a field (docker's transformers: ports by published, volumes by target, secrets/configs by source).
 */
export type ListMerge = 'append' | 'command' | 'ports' | 'volumes' | 'secrets' | 'configs';

/**
 * How a map merges: `override` (per key, overlay always wins), `env` (per key, overlay wins unless its
 * value is null or "" while the base has a value), `networks` / `ulimits` (docker's transformers).
 */
export type MapMerge = 'override' | 'env' | 'networks' | 'ulimits';

export type TypeSpec =
  | { readonly kind: 'scalar'; readonly type: ScalarType; readonly pointer?: boolean }
  | { readonly kind: 'list'; readonly of: TypeSpec; readonly merge: ListMerge }
  | { readonly kind: 'map'; readonly of: TypeSpec; readonly merge: MapMerge; readonly nullable?: boolean }
  | StructSpec
  | { readonly kind: 'ulimit' }
  | { readonly kind: 'any' };

export interface StructSpec {
  readonly kind: 'struct';
  readonly fields: ReadonlyArray<readonly [string, TypeSpec]>;
  /** A Go pointer: printed (as `{}` when empty) whenever present. */
  readonly pointer?: boolean;
  /** Inline x- keys after the fields (Extras). */
  readonly extensions?: boolean;
  /** docker's own merge for this struct instead of field by field. */
  readonly merge?: 'logging';
}

const str: TypeSpec = { kind: 'scalar', type: 'string' };
const bool: TypeSpec = { kind: 'scalar', type: 'bool' };
const int: TypeSpec = { kind: 'scalar', type: 'int' };
const bytes: TypeSpec = { kind: 'scalar', type: 'bytes' };
const duration: TypeSpec = { kind: 'scalar', type: 'duration' };
const ptrUint: TypeSpec = { kind: 'scalar', type: 'int', pointer: true };
const ptrDuration: TypeSpec = { kind: 'scalar', type: 'duration', pointer: true };
const ptrBool: TypeSpec = { kind: 'scalar', type: 'bool', pointer: true };
const strings: TypeSpec = { kind: 'list', of: str, merge: 'append' };
const command: TypeSpec = { kind: 'list', of: str, merge: 'command' };
const labels: TypeSpec = { kind: 'map', of: str, merge: 'override' };
const env: TypeSpec = { kind: 'map', of: str, merge: 'env', nullable: true };

function struct(fields: StructSpec['fields'], extra: Partial<StructSpec> = {}): StructSpec {
  return { kind: 'struct', fields, ...extra };
}

const updateConfig = struct(
  [
    ['parallelism', ptrUint],
    ['delay', duration],
    ['failure_action', str],
    ['monitor', duration],
    ['max_failure_ratio', { kind: 'scalar', type: 'float32' }],
    ['order', str],
  ],
  { pointer: true },
);

const fileReference = struct([
  ['source', str],
  ['target', str],
  ['uid', str],
  ['gid', str],
  ['mode', { kind: 'scalar', type: 'int', pointer: true }],
]);

export const SERVICE_SPEC: StructSpec = struct(
  [
    [
      'build',
      struct([
        ['context', str],
        ['dockerfile', str],
        ['args', env],
        ['labels', labels],
        ['cache_from', strings],
        ['extra_hosts', strings],
        ['network', str],
        ['target', str],
      ]),
    ],
    ['cap_add', strings],
    ['cap_drop', strings],
    ['cgroupns_mode', str],
    ['cgroup_parent', str],
    ['command', command],
    ['configs', { kind: 'list', of: fileReference, merge: 'configs' }],
    ['container_name', str],
    ['credential_spec', struct([['config', str], ['file', str], ['registry', str]])],
    ['depends_on', strings],
    [
      'deploy',
      struct([
        ['mode', str],
        ['replicas', ptrUint],
        ['labels', labels],
        ['update_config', updateConfig],
        ['rollback_config', updateConfig],
        [
          'resources',
          struct([
            ['limits', struct([['cpus', str], ['memory', bytes], ['pids', int]], { pointer: true })],
            [
              'reservations',
              struct(
                [
                  ['cpus', str],
                  ['memory', bytes],
                  [
                    'generic_resources',
                    {
                      kind: 'list',
                      merge: 'append',
                      of: struct([
                        [
                          'discrete_resource_spec',
                          // Kind and Value have no omitempty: printed even when zero.
                          struct([['kind', { kind: 'scalar', type: 'string', pointer: true }], ['value', { kind: 'scalar', type: 'int', pointer: true }]], { pointer: true }),
                        ],
                      ]),
                    },
                  ],
                ],
                { pointer: true },
              ),
            ],
          ]),
        ],
        [
          'restart_policy',
          struct([['condition', str], ['delay', ptrDuration], ['max_attempts', ptrUint], ['window', ptrDuration]], { pointer: true }),
        ],
        [
          'placement',
          struct([
            ['constraints', strings],
            ['preferences', { kind: 'list', merge: 'append', of: struct([['spread', str]]) }],
            ['max_replicas_per_node', int],
          ]),
        ],
        ['endpoint_mode', str],
      ]),
    ],
    ['devices', strings],
    ['dns', strings],
    ['dns_search', strings],
    ['domainname', str],
    ['entrypoint', command],
    ['environment', env],
    ['env_file', strings],
    ['expose', strings],
    ['external_links', strings],
    ['extra_hosts', strings],
    ['hostname', str],
    [
      'healthcheck',
      struct(
        [
          ['test', strings],
          ['timeout', ptrDuration],
          ['interval', ptrDuration],
          ['retries', ptrUint],
          ['start_period', ptrDuration],
          ['start_interval', ptrDuration],
          ['disable', bool],
        ],
        { pointer: true },
      ),
    ],
    ['image', str],
    ['init', ptrBool],
    ['ipc', str],
    ['isolation', str],
    ['labels', labels],
    ['links', strings],
    ['logging', struct([['driver', str], ['options', labels]], { pointer: true, merge: 'logging' })],
    ['mac_address', str],
    ['network_mode', str],
    [
      'networks',
      {
        kind: 'map',
        merge: 'networks',
        nullable: true,
        of: struct(
          [['aliases', strings], ['driver_opts', labels], ['ipv4_address', str], ['ipv6_address', str]],
          { pointer: true },
        ),
      },
    ],
    ['pid', str],
    [
      'ports',
      {
        kind: 'list',
        merge: 'ports',
        of: struct([['mode', str], ['target', int], ['published', int], ['protocol', str]]),
      },
    ],
    ['privileged', bool],
    ['read_only', bool],
    ['restart', str],
    ['secrets', { kind: 'list', of: fileReference, merge: 'secrets' }],
    ['security_opt', strings],
    ['shm_size', str],
    ['stdin_open', bool],
    ['stop_grace_period', ptrDuration],
    ['stop_signal', str],
    ['sysctls', labels],
    ['tmpfs', strings],
    ['tty', bool],
    ['ulimits', { kind: 'map', merge: 'ulimits', of: { kind: 'ulimit' } }],
    ['user', str],
    ['userns_mode', str],
    [
      'volumes',
      {
        kind: 'list',
        merge: 'volumes',
        of: struct([
          ['type', str],
          ['source', str],
          ['target', str],
          ['read_only', bool],
          ['consistency', str],
          ['bind', struct([['propagation', str]], { pointer: true })],
          ['volume', struct([['nocopy', bool]], { pointer: true })],
          ['tmpfs', struct([['size', int]], { pointer: true })],
        ]),
      },
    ],
    ['working_dir', str],
  ],
  { extensions: true },
);

// The printer treats `external` as a bool (External.MarshalYAML once the name moved to `name`).
const external: TypeSpec = bool;

export const NETWORK_SPEC: StructSpec = struct(
  [
    ['name', str],
    ['driver', str],
    ['driver_opts', labels],
    [
      'ipam',
      struct([
        ['driver', str],
        ['config', { kind: 'list', merge: 'append', of: struct([['subnet', str]], { pointer: true }) }],
      ]),
    ],
    ['external', external],
    ['internal', bool],
    ['attachable', bool],
    ['labels', labels],
  ],
  { extensions: true },
);

const topology: TypeSpec = { kind: 'list', merge: 'append', of: struct([['segments', labels]]) };

export const VOLUME_SPEC: StructSpec = struct(
  [
    ['name', str],
    ['driver', str],
    ['driver_opts', labels],
    ['external', external],
    ['labels', labels],
    [
      'x-cluster-spec',
      struct(
        [
          ['group', str],
          [
            'access_mode',
            struct(
              [
                ['scope', str],
                ['sharing', str],
                ['mount_volume', struct([['fs_type', str], ['mount_flags', strings]], { pointer: true })],
                ['block_volume', struct([], { pointer: true })],
              ],
              { pointer: true },
            ),
          ],
          ['accessibility_requirements', struct([['requisite', topology], ['preferred', topology]], { pointer: true })],
          ['capacity_range', struct([['required_bytes', bytes], ['limit_bytes', bytes]], { pointer: true })],
          ['secrets', { kind: 'list', merge: 'append', of: struct([['key', str], ['secret', str]]) }],
          ['availability', str],
        ],
        { pointer: true },
      ),
    ],
  ],
  { extensions: true },
);

export const FILE_OBJECT_SPEC: StructSpec = struct(
  [
    ['name', str],
    ['file', str],
    ['external', external],
    ['labels', labels],
    ['driver', str],
    ['driver_opts', labels],
    ['template_driver', str],
  ],
  { extensions: true },
);

export const DEFINITION_SPECS = {
  networks: NETWORK_SPEC,
  volumes: VOLUME_SPEC,
  secrets: FILE_OBJECT_SPEC,
  configs: FILE_OBJECT_SPEC,
} as const;

export type DefinitionSection = keyof typeof DEFINITION_SPECS;
export const DEFINITION_SECTIONS: readonly DefinitionSection[] = ['networks', 'volumes', 'secrets', 'configs'];

/** The spec of a struct's field, if it has one. */
export function fieldSpec(spec: StructSpec, key: string): TypeSpec | undefined {
  for (const [name, s] of spec.fields) if (name === key) return s;
  return undefined;
}

// The Traefik services a repository runs: every stack file inside the read boundary (a plain stack's git work
// tree, a recipe's directory) that defines a service with a `traefik` image, each loaded alone as docker
// would load it. A stack's routes are read by whichever Traefik the repository deploys, often from a sibling
// file (`docker-compose.traefik.yml` deployed as its own stack by the same Makefile): rules ask which labels
// that Traefik reads. Read on the first ask, once per recipe/stack; rules never read the files themselves.
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadYamlText } from '../load/yaml.js';
import { isTraefikImage, typedConfig } from '../merge/index.js';
import type { ServiceConfig, StackConfig } from '../merge/index.js';
import { RecipeFiles } from './recipe-files.js';
import { loadStack } from './stack.js';

/** A Traefik service one of the repository's stack files defines. */
export interface RepositoryTraefik {
  /** The stack file, relative to the stack's directory ('/'-separated; `../` when it lies above it). */
  file: string;
  service: string;
  config: ServiceConfig;
  /** The file's own top-level definitions (a static configuration given as a `configs:` entry, the networks it joins). */
  stack: Pick<StackConfig, 'configs' | 'networks'>;
}

const YAML_FILE = /\.ya?ml$/i;
/** A cheap test before parsing: some line names a Traefik image. */
const TRAEFIK_IMAGE_LINE = /^[ \t]*(?:-[ \t]*)?image[ \t]*:[ \t]*['"]?[^\s'"#]*traefik/im;

/**
 * Every Traefik service of the repository's stack files but those in `skip` (stack-relative: files no stack
 * deploys, such as a development compose file beside the swarm file). `lookup` gives the variables of the
 * run (`--env-file`); others are unset, as in a shell that sets none.
 */
export function repositoryTraefikServices(files: RecipeFiles, skip: ReadonlySet<string>, lookup: (name: string) => string | undefined): RepositoryTraefik[] {
  const dir = resolve(files.dir);
  const root = resolve(files.root);
  const toStack = (rootRel: string) => relative(dir, join(root, rootRel)).split(sep).join('/');
  // The stack's own listing when the boundary is its directory; else the repository's, bounded the same way.
  const listed = root === dir ? files.list() : new RecipeFiles(root).list().map(toStack);
  const out: RepositoryTraefik[] = [];
  for (const file of listed) {
    if (!YAML_FILE.test(file) || skip.has(file)) continue;
    const read = files.read(file);
    if (!read.ok || !TRAEFIK_IMAGE_LINE.test(read.text)) continue;
    const absPath = resolve(dir, file);
    const doc = loadYamlText(read.text, file, { absPath });
    if (doc.errors.length > 0) continue;
    const result = loadStack([doc], {
      lookup: (name) => lookup(name) ?? (name === 'PWD' ? dirname(absPath) : undefined),
      workingDir: dirname(absPath),
      home: '/home/operator',
      // An env_file of the Traefik service may set its provider (TRAEFIK_PROVIDERS_DOCKER_SWARMMODE).
      readEnvFile: (abs) => {
        const r = files.read(relative(dir, abs));
        return r.ok ? r : { ok: true, text: '' };
      },
    });
    // A file docker stack cannot load (a compose v2 file for `docker-compose up`) deploys no Traefik.
    if (!result.merged) continue;
    const config = typedConfig(result.merged.config);
    for (const [service, svc] of Object.entries(config.services ?? {})) {
      if (isTraefikImage(svc.image)) out.push({ file, service, config: svc, stack: { configs: config.configs, networks: config.networks } });
    }
  }
  return out;
}

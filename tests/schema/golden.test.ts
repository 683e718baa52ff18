// Replays the golden `docker stack config/deploy` cases (recorded from docker CLI 28.2.2) through
// the per-file steps these stages own: version check, forbidden properties, interpolation and
// schema validation. Where docker failed in one of those steps our message must be its stderr,
// byte for byte; every other case must get through them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interpolateConfig } from '../../src/interpolate/index.js';
import { loadYamlText } from '../../src/load/yaml.js';
import type { YamlValue } from '../../src/load/types.js';
import { dockerVersion, findForbiddenProperties, validateFile, versionMismatchMessage } from '../../src/schema/index.js';

const CASES = fileURLToPath(new URL('../../../shared/golden/stack-config/cases/', import.meta.url));

/** Cases whose failure comes from a stage these modules do not own (YAML, merge, deploy checks). */
const FAILS_ELSEWHERE = new Set([
  '26b-overlay-only-service-no-image-deploy',
  '28b-anchor-across-files',
  '29-duplicate-keys',
  '29b-duplicate-service-keys',
  '38-unsupported-props-deploy-warning',
]);

interface Invocation {
  deploy: boolean;
  skipInterpolation: boolean;
  files: string[];
}

/** The first docker command of a case's `cmd`. */
function parseCmd(cmd: string): Invocation {
  const words = cmd.split(/(?:&&|;|\n)/)[0].trim().split(/\s+/);
  const files: string[] = [];
  words.forEach((w, i) => {
    if (w === '-c') files.push(...words[i + 1].split(','));
  });
  return { deploy: words[2] === 'deploy', skipInterpolation: words.includes('--skip-interpolation'), files };
}

function readEnv(dir: string): Map<string, string> {
  const env = new Map<string, string>();
  const path = `${dir}/env`;
  if (!existsSync(path)) return env;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return env;
}

type Outcome = { error: string } | { loadFailed: true } | { ok: true };

/** docker's Load loop over the files, for the steps owned here. */
function runOurStages(dir: string): Outcome {
  const inv = parseCmd(readFileSync(`${dir}/cmd`, 'utf8'));
  const env = readEnv(dir);
  const datas: YamlValue[] = [];
  for (const file of inv.files) {
    const doc = loadYamlText(readFileSync(`${dir}/${file}`, 'utf8'), file);
    if (doc.errors.length > 0 || doc.data === undefined) return { loadFailed: true };
    datas.push(doc.data);
  }
  const version = dockerVersion(datas[0]);
  for (const raw of datas) {
    if (dockerVersion(raw) !== version) return { error: versionMismatchMessage(version, dockerVersion(raw)) };
    const forbidden = findForbiddenProperties(raw);
    if (forbidden.dockerMessage) return { error: inv.deploy ? forbidden.deployMessage! : forbidden.dockerMessage };
    let data = raw;
    if (!inv.skipInterpolation) {
      const interpolated = interpolateConfig(data, (name) => env.get(name), { stopAtFirstError: true });
      if (interpolated.error) return { error: interpolated.error.dockerMessage };
      data = interpolated.data;
    }
    const validation = validateFile(data, version);
    if (validation.dockerMessage) return { error: validation.dockerMessage };
  }
  return { ok: true };
}

const caseNames = existsSync(CASES) ? readdirSync(CASES).filter((d) => existsSync(`${CASES}${d}/cmd`)).sort() : [];

describe.skipIf(caseNames.length === 0)('golden stack-config cases', () => {
  it.each(caseNames)('%s', (name) => {
    const dir = `${CASES}${name}`;
    const rc = readFileSync(`${dir}/expected.rc`, 'utf8').trim();
    const outcome = runOurStages(dir);
    if (rc === '0' || FAILS_ELSEWHERE.has(name)) {
      expect(outcome).not.toHaveProperty('error');
    } else {
      expect(outcome).toHaveProperty('error');
      expect(`${(outcome as { error: string }).error}\n`).toBe(readFileSync(`${dir}/expected.err`, 'utf8'));
    }
  });
});

// Replays docker's recorded answers for 11,000 generated strings (label values, label keys, list items, see
// generated-strings.ts; recorded by scripts/record-docker-strings.ts from docker CLI 28.2.2): `stacklint
// config` must print every one of them exactly as docker did.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import { loadStack } from '../../src/pipeline/stack.js';
import { printDockerYaml } from '../../src/report/docker-yaml.js';
import { generatedFiles, generatedStrings, labelName, STRINGS_SEED, usableAsKey } from './generated-strings.js';

interface Recording {
  docker: string;
  seed: number;
  strings: number;
  answers: Array<{ rc: number; stdout: string; stderr: string }>;
}

const recording = JSON.parse(gunzipSync(readFileSync(new URL('./docker-strings.recording.json.gz', import.meta.url))).toString('utf8')) as Recording;

/** What `stacklint config -c file` prints for this text (in-process, no environment). */
function stacklintConfig(text: string): { rc: number; stdout: string } {
  const doc = loadYamlText(text, 'strings.yml', { absPath: '/strings/strings.yml' });
  const result = loadStack([doc], { lookup: () => undefined, workingDir: '/strings', readEnvFile: () => ({ ok: false, message: 'no env files' }) });
  return result.merged ? { rc: 0, stdout: printDockerYaml(result.merged) } : { rc: 1, stdout: '' };
}

/**
 * The printed entries of one service's labels, by generated-string index: for `values` the entry whose key
 * is the label name, for `keys` the entry whose value is (a key, or `? key` / `: value` over several lines).
 */
function entriesByIndex(output: string, service: 'values' | 'keys' | 'items', names: Map<string, number>): Map<number, string> {
  // A literal block that ends with U+2028/U+2029 has no \n after it: the next entry follows on the same line.
  const lines = output.replace(/([\u2028\u2029])(?= {6}(?:k\d{5}: |- ))/g, '$1\n').split('\n');
  const start = lines.indexOf(`  ${service}:`);
  const labels = lines.indexOf(service === 'items' ? '    command:' : '    labels:', start);
  const entries = new Map<number, string>();
  let current: string[] = [];
  const flush = (index: number | undefined) => {
    if (index !== undefined) entries.set(index, current.join('\n'));
    current = [];
  };
  for (let i = labels + 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^ {0,4}\S/.test(line)) break;
    if (service === 'items' && line.startsWith('      - ')) {
      if (current.length > 0) flush(entries.size);
      current.push(line);
      continue;
    }
    if (service === 'values' && /^ {6}k\d{5}:/.test(line)) {
      flush(names.get(current[0]?.slice(6, 12) ?? ''));
      current.push(line);
      continue;
    }
    current.push(line);
    if (service === 'keys') {
      const label = /(?:^|[: ])(k\d{5})$/.exec(line);
      if (label && /^ {6}(?:[^ ].*: |: )k\d{5}$/.test(line)) flush(names.get(label[1]));
    }
  }
  if (service === 'values') flush(names.get(current[0]?.slice(6, 12) ?? ''));
  if (service === 'items' && current.length > 0) flush(entries.size);
  return entries;
}

describe('generated strings printed as docker does', () => {
  const files = generatedFiles();

  it('replays a recording of the current generator', () => {
    expect(recording.seed).toBe(STRINGS_SEED);
    expect(recording.strings).toBe(generatedStrings().length);
    expect(recording.answers).toHaveLength(files.length);
    expect(recording.strings).toBeGreaterThanOrEqual(10_000);
  });

  it('prints every string, as a value, as a key and as a list item, byte for byte as docker 28.2.2', () => {
    const differences: string[] = [];
    let compared = 0;
    files.forEach((file, f) => {
      const docker = recording.answers[f];
      const ours = stacklintConfig(file.text);
      expect(ours.rc, `file ${f}`).toBe(docker.rc);
      const names = new Map(file.strings.map((_, i) => [labelName(i), i]));
      for (const service of ['values', 'keys', 'items'] as const) {
        const want = entriesByIndex(docker.stdout, service, names);
        const got = entriesByIndex(ours.stdout, service, names);
        const expected = service === 'keys' ? file.strings.filter(usableAsKey).length : file.strings.length;
        expect(want.size, `docker's ${service} entries in file ${f}`).toBe(expected);
        for (const [index, text] of want) {
          compared++;
          if (got.get(index) !== text) {
            differences.push(`${service} ${JSON.stringify(file.strings[index])}:\n  docker:    ${JSON.stringify(text)}\n  stacklint: ${JSON.stringify(got.get(index))}`);
          }
        }
      }
      // The whole answer too: key order, and what lies between the entries.
      if (differences.length === 0) expect(ours.stdout, `file ${f}`).toBe(docker.stdout);
    });
    expect(compared).toBe(2 * recording.strings + generatedStrings().filter(usableAsKey).length);
    expect(differences.slice(0, 20), `${differences.length} of ${compared} printed differently`).toEqual([]);
  });
});

// Replays docker's recorded answers to every single-character deletion and one-line indentation change of
// every corpus compose file (syntax-mutations.ts; recorded by scripts/record-docker-syntax.ts from docker CLI
// 28.2.2). Where docker fails on the YAML (`yaml: …`), `stacklint config` must print the same line and words;
// where docker reads the YAML, stacklint must too.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findGoYamlSyntaxError } from '../../src/load/go-yaml-syntax.js';
import { loadYamlText } from '../../src/load/yaml.js';
import { corpusComposeFiles, mutationsOf } from './syntax-mutations.js';

interface Recording {
  docker: string;
  messages: string[];
  files: Array<{ name: string; sha256: string; answers: Array<[string, number, number]> }>;
}

const recording = JSON.parse(gunzipSync(readFileSync(new URL('./docker-syntax.recording.json.gz', import.meta.url))).toString('utf8')) as Recording;

/** The class of a message, for the summary of what differs: its words without line numbers and names. */
function messageClass(message: string): string {
  return message.replace(/line \d+/g, 'line N').replace(/"[^"]*"|'[^']*'/g, 'X').split('\n')[0];
}

describe('syntax errors of mutated corpus files, as docker prints them', () => {
  const corpus = corpusComposeFiles();

  it('replays a recording of the current corpus and mutations', () => {
    expect(recording.files.map((f) => [f.name, f.sha256])).toEqual(corpus.map((f) => [f.name, f.sha256]));
    corpus.forEach((file, i) => expect(recording.files[i].answers.map(([id]) => id)).toEqual(mutationsOf(file.text).map((m) => m.id)));
  });

  // Counted per corpus file (one test each, so none runs long), judged over all of them at the end.
  let failing = 0;
  let identical = 0;
  const differences = new Map<string, string[]>();
  const wronglyRefused: string[] = [];

  corpus.forEach((file, f) => {
    it(`${file.name}: docker's yaml errors, and no error where docker parses`, () => {
      const mutations = mutationsOf(file.text);
      recording.files[f].answers.forEach(([id, , messageIndex], i) => {
        const text = mutations[i].text;
        const docker = recording.messages[messageIndex].replace(/\n$/, '');
        const goError = findGoYamlSyntaxError(text);
        if (!docker.startsWith('yaml:')) {
          // docker read the YAML (it may fail later, on the schema or a missing env_file). The `yaml` package's
          // parse of every third such file is checked too (the whole set takes minutes on a busy machine).
          const refused = goError || (i % 3 === 0 && loadYamlText(text, 'compose.yml').errors.some((e) => e.kind === 'yaml-syntax'));
          if (refused) wronglyRefused.push(`${file.name} ${id}`);
          return;
        }
        failing++;
        // What `config` prints: the port's message when it fails the file (loadYamlText passes it on as is).
        const ours = goError ? goError.dockerMessage : loadYamlText(text, 'compose.yml').errors[0]?.dockerMessage;
        if (ours === docker) {
          identical++;
          return;
        }
        const key = `${messageClass(docker)}  ≠  ${messageClass(ours ?? '(no error)')}`;
        differences.set(key, [...(differences.get(key) ?? []), `${file.name} ${id}: docker ${JSON.stringify(docker)}, stacklint ${JSON.stringify(ours)}`]);
      });
    });
  });

  it('prints docker\'s yaml error (line and words) for at least 99% of the files docker cannot parse, and parses every file docker parses', () => {
    const summary = [...differences].map(([key, cases]) => `${cases.length} × ${key}\n    e.g. ${cases[0]}`).join('\n');
    expect(wronglyRefused.slice(0, 10), `${wronglyRefused.length} files refused that docker reads`).toEqual([]);
    expect(failing).toBeGreaterThan(1000);
    expect(identical / failing, `${identical}/${failing} identical; the rest by class:\n${summary}`).toBeGreaterThanOrEqual(0.99);
  });
});

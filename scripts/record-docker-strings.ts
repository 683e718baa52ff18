// Records docker's answers for the generated strings (tests/print/generated-strings.ts) into
// tests/print/docker-strings.recording.json.gz, which docker-strings.test.ts replays without docker.
// Run once after changing the generator:  npx tsx scripts/record-docker-strings.ts [/path/to/docker]
// Needs the docker CLI 28.2.2 (`docker stack config` needs no daemon).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generatedFiles, STRINGS_SEED } from '../tests/print/generated-strings.js';

const docker = process.argv[2] ?? '/usr/local/bin/docker';
const version = execFileSync(docker, ['--version'], { encoding: 'utf8' }).trim(); // needs no daemon
const dir = mkdtempSync(join(tmpdir(), 'docker-strings-'));
try {
  const files = generatedFiles();
  const answers = files.map((file, i) => {
    const path = join(dir, `strings-${i}.yml`);
    writeFileSync(path, file.text);
    const run = spawnSync(docker, ['stack', 'config', '-c', path], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir } });
    process.stderr.write(`file ${i + 1}/${files.length}: exit ${run.status}\n`);
    return { rc: run.status, stdout: run.stdout, stderr: run.stderr.replaceAll(dir, '{{DIR}}') };
  });
  const recording = { docker: version, seed: STRINGS_SEED, strings: files.reduce((n, f) => n + f.strings.length, 0), answers };
  const out = new URL('../tests/print/docker-strings.recording.json.gz', import.meta.url);
  writeFileSync(out, gzipSync(JSON.stringify(recording), { level: 9 }));
  process.stderr.write(`recorded ${recording.strings} strings in ${answers.length} files from docker ${version}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

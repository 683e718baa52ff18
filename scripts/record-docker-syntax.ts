// Records docker's answer (exit code and stderr) to every mutation of every corpus compose file
// (tests/load/syntax-mutations.ts) into tests/load/docker-syntax.recording.json.gz, which docker-syntax.test.ts
// replays without docker. Run once after the corpus or the mutations change (about 40,000 docker calls):
//   npx tsx scripts/record-docker-syntax.ts [/path/to/docker]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpusComposeFiles, mutationsOf } from '../tests/load/syntax-mutations.js';

const docker = process.argv[2] ?? '/usr/local/bin/docker';
const version = execFileSync(docker, ['--version'], { encoding: 'utf8' }).trim();
const dir = mkdtempSync(join(tmpdir(), 'docker-syntax-'));
const CONCURRENCY = 4;

function run(path: string): Promise<{ rc: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(docker, ['stack', 'config', '-c', path], { env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ rc: code ?? -1, stderr: stderr.replaceAll(dir, '{{DIR}}').replace(/time="[^"]+"/g, 'time="<TS>"') }));
  });
}

try {
  const messages: string[] = [];
  const messageIndex = new Map<string, number>();
  const files = [];
  let done = 0;
  for (const file of corpusComposeFiles()) {
    const mutations = mutationsOf(file.text);
    const answers: Array<[string, number, number]> = new Array(mutations.length);
    let next = 0;
    const worker = async (w: number) => {
      for (let i = next++; i < mutations.length; i = next++) {
        const path = join(dir, `w${w}`, 'compose.yml');
        writeFileSync(path, mutations[i].text);
        const { rc, stderr } = await run(path);
        if (!messageIndex.has(stderr)) {
          messageIndex.set(stderr, messages.length);
          messages.push(stderr);
        }
        answers[i] = [mutations[i].id, rc, messageIndex.get(stderr)!];
        if (++done % 1000 === 0) process.stderr.write(`${done} docker answers\n`);
      }
    };
    for (let w = 0; w < CONCURRENCY; w++) execFileSync('mkdir', ['-p', join(dir, `w${w}`)]);
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    files.push({ name: file.name, sha256: file.sha256, answers });
  }
  const out = new URL('../tests/load/docker-syntax.recording.json.gz', import.meta.url);
  writeFileSync(out, gzipSync(JSON.stringify({ docker: version, messages, files }), { level: 9 }));
  process.stderr.write(`recorded ${done} answers (${messages.length} distinct stderr texts) from ${version}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// Restores the real-stack precision set (tests/realworld-stacks/manifest.txt) from local git mirrors into a
// scratch directory. Nothing fetched is ever committed: the manifest pins each repository to a commit and
// names the paths to restore; this script extracts them with `git archive` (no checkout, nothing executed).
//   node scripts/restore-stacks.mjs [--mirrors DIR] [--out DIR] [--manifest FILE]
// A mirror is DIR/<owner>+<name>/repo (a bare repository, as the `fetch` tool lays them out); a repository
// whose mirror or commit is missing is reported and skipped, so a partial set still restores.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const project = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** The manifest as data: repositories (with the paths to restore) and the stacks each one holds. */
export function readManifest(file) {
  const repos = [];
  let current;
  readFileSync(file, 'utf8').split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    if (words[0] === 'repo') {
      const match = /^([^/@\s]+)\/([^@\s]+)@([0-9a-f]{40})$/.exec(words[1] ?? '');
      if (!match || words.length < 3) throw new Error(`${file}:${index + 1}: expected "repo OWNER/NAME@COMMIT PATH..."`);
      current = { owner: match[1], name: match[2], commit: match[3], paths: words.slice(2), stacks: [] };
      repos.push(current);
    } else if (words[0] === 'stack') {
      const files = [];
      for (let i = 2; i < words.length; i += 2) {
        if (words[i] !== '-c' || !words[i + 1]) throw new Error(`${file}:${index + 1}: expected "stack ID -c FILE [-c FILE...]"`);
        files.push(words[i + 1]);
      }
      if (!current || !words[1] || files.length === 0) throw new Error(`${file}:${index + 1}: a stack line needs a repo line above it and at least one -c FILE`);
      current.stacks.push({ id: words[1], files });
    } else {
      throw new Error(`${file}:${index + 1}: unknown line "${words[0]}"`);
    }
  });
  return repos;
}

export const repoKey = (repo) => `${repo.owner}+${repo.name}`;

function restoreRepo(repo, mirrors, out) {
  const gitDir = join(mirrors, repoKey(repo), 'repo');
  if (!existsSync(gitDir)) return `no mirror at ${gitDir} (fetch github:${repo.owner}/${repo.name})`;
  const target = join(out, 'repos', repoKey(repo));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const archive = spawnSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', repo.commit, '--', ...repo.paths], {
    maxBuffer: 1 << 30,
  });
  if (archive.status !== 0) return `git archive failed: ${archive.stderr.toString().trim()}`;
  const untar = spawnSync('tar', ['-x', '-C', target], { input: archive.stdout });
  if (untar.status !== 0) return `tar failed: ${untar.stderr.toString().trim()}`;
  return undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      mirrors: { type: 'string', default: '/work/.mirror' },
      out: { type: 'string', default: '/tmp/stacklint-realworld' },
      manifest: { type: 'string', default: join(project, 'tests/realworld-stacks/manifest.txt') },
    },
  });
  const repos = readManifest(values.manifest);
  let failed = 0;
  for (const repo of repos) {
    const problem = restoreRepo(repo, values.mirrors, values.out);
    if (problem) {
      failed++;
      console.error(`${repo.owner}/${repo.name}: ${problem}`);
    }
  }
  console.log(`restored ${repos.length - failed} of ${repos.length} repositories into ${join(values.out, 'repos')}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

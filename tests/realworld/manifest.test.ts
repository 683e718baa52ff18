// The real-stack precision set's committed half (the fetched files are never committed): the manifest
// parses, every stack id is unique, and every recorded verdict names a stack of the manifest, a verdict
// and a documented cause. The set itself runs where the git mirrors are (scripts/judge-stacks.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { readManifest } from '../../scripts/restore-stacks.mjs';

const DIR = join(__dirname, '../realworld-stacks');

interface Repo { owner: string; name: string; commit: string; paths: string[]; stacks: Array<{ id: string; files: string[] }> }
interface Verdict { rule: string; file: string; message: string; verdict: string; cause: string }

const repos: Repo[] = readManifest(join(DIR, 'manifest.txt'));
const verdicts: { causes: Record<string, string>; stacks: Record<string, Verdict[]> } = JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8'));

describe('real-stack precision set', () => {
  it('pins at least 30 repositories, each to a commit, with unique stack ids', () => {
    expect(repos.length).toBeGreaterThanOrEqual(30);
    const ids = repos.flatMap((repo) => repo.stacks.map((stack) => stack.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const repo of repos) {
      expect(repo.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(repo.stacks.length, `${repo.owner}/${repo.name} has no stack`).toBeGreaterThan(0);
    }
  });

  it('records verdicts only for stacks of the manifest, each with a verdict and a documented cause', () => {
    const ids = new Set(repos.flatMap((repo) => repo.stacks.map((stack) => stack.id)));
    for (const [stack, entries] of Object.entries(verdicts.stacks)) {
      expect(ids.has(stack), `verdicts for unknown stack ${stack}`).toBe(true);
      for (const entry of entries) {
        expect(['true', 'false', 'beside']).toContain(entry.verdict);
        expect(verdicts.causes[entry.cause], `cause ${entry.cause} is not described`).toBeTypeOf('string');
      }
    }
  });

  it('refuses a malformed manifest line with its position', () => {
    const file = join(require('node:os').tmpdir(), `manifest-${process.pid}.txt`);
    require('node:fs').writeFileSync(file, 'repo a/b@123 .\n');
    expect(() => readManifest(file)).toThrow(/:1: expected "repo OWNER\/NAME@COMMIT PATH\.\.\."/);
  });
});

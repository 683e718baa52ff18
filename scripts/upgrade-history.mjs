#!/usr/bin/env node
// Runs the gate over a recipe's real history: clones a git repository (a mirror) into a temporary directory,
// and for every consecutive pair of commits that touch what gets deployed — compose files, abra.sh, templates
// and other config files (documentation, release notes and CI files aside) — checks out the later one and runs
// `stacklint lint --base <earlier> --format json`. It prints what the upgrade rules flag, each with the commits
// that followed it (a later "bump"/"version" commit, or one that changes the config's version variable, is
// evidence that the flag was true), as a Markdown list.
//
//   node scripts/upgrade-history.mjs /work/.mirror/ahdinosaur+coop-cloud-traefik/repo [more repos…]
//   options: --json (machine-readable), --look-ahead N (later commits shown as evidence, default 4)
//
// Uses dist/ (npm run build first). The clone is removed at the end; the mirror is only read.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const STACKLINT = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/stacklint.js');
// What does not change a deploy: documentation, release notes, CI, tooling metadata.
const NOT_DEPLOYED = [':(exclude,glob)**/*.md', ':(exclude,glob)release/**', ':(exclude)LICENSE', ':(exclude,glob)**/.drone.yml', ':(exclude,glob)**/.gitignore', ':(exclude,glob)**/renovate.json', ':(exclude,glob)**/.woodpecker/**', ':(exclude,glob)**/.github/**'];
const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };

const args = process.argv.slice(2);
const json = args.includes('--json');
const aheadAt = args.indexOf('--look-ahead');
const lookAhead = aheadAt >= 0 ? Number(args[aheadAt + 1]) : 4;
const repos = args.filter((a, i) => !a.startsWith('--') && !(aheadAt >= 0 && i === aheadAt + 1));
if (repos.length === 0) {
  process.stderr.write('usage: node scripts/upgrade-history.mjs REPO... [--json] [--look-ahead N]\n');
  process.exit(2);
}

const git = (cwd, ...a) => execFileSync('git', a, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

const report = [];
for (const repo of repos) {
  const work = mkdtempSync(join(tmpdir(), 'upgrade-history-'));
  try {
    git(work, 'clone', '--quiet', '--no-hardlinks', resolve(repo), 'r');
    const dir = join(work, 'r');
    const tip = git(dir, 'rev-parse', 'HEAD').trim();
    const all = git(dir, 'log', '--reverse', '--format=%H%x09%s', 'HEAD').trim().split('\n').map((l) => l.split('\t'));
    const subjects = new Map(all.map(([sha, subject]) => [sha, subject]));
    const order = all.map(([sha]) => sha);
    const touching = git(dir, 'log', '--reverse', '--format=%H', 'HEAD', '--', '.', ...NOT_DEPLOYED).trim().split('\n').filter(Boolean);
    const name = basename(dirname(resolve(repo))) === '.mirror' ? basename(resolve(repo)) : basename(dirname(resolve(repo)));
    const entry = { repo: name, commits: touching.length, pairs: 0, failures: 0, flags: [] };
    for (let i = 1; i < touching.length; i++) {
      const [before, after] = [touching[i - 1], touching[i]];
      git(dir, 'checkout', '--quiet', '--force', after);
      git(dir, 'clean', '-qfdx');
      entry.pairs++;
      const run = spawnSync(process.execPath, [STACKLINT, 'lint', '--base', before, '--format', 'json', '--no-baseline', dir], { encoding: 'utf8', env: ENV, maxBuffer: 64 * 1024 * 1024 });
      let doc;
      try {
        doc = JSON.parse(run.stdout);
      } catch {
        entry.failures++;
        entry.flags.push({ before, after, rule: '(run failed)', message: (run.stderr || '').split('\n')[0], evidence: [] });
        continue;
      }
      const next = order.slice(order.indexOf(after) + 1, order.indexOf(after) + 1 + lookAhead);
      for (const f of doc.upgrade ?? []) {
        entry.flags.push({
          before: before.slice(0, 8),
          after: after.slice(0, 8),
          subject: subjects.get(after),
          rule: f.rule,
          severity: f.severity,
          where: `${f.file}:${f.line}`,
          message: f.message,
          evidence: next.map((sha) => `${sha.slice(0, 8)} ${subjects.get(sha)}`),
          bumpSubject: next.some((sha) => /\b(bump|version|release|chaos|sync)\b/i.test(subjects.get(sha) ?? '')),
          // The first later commit that edits what the finding says to change (the version variable, the label).
          followUp: followUp(dir, after, tip, f),
        });
      }
    }
    report.push(entry);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The first commit after `after` whose diff touches the variable or label the finding asks to change. */
function followUp(dir, after, tip, finding) {
  const variable = /Bump `([A-Za-z_][A-Za-z0-9_]*)`/.exec(finding.fix ?? '')?.[1];
  const pattern = variable ?? (finding.rule === 'version-not-advanced' ? 'coop-cloud\\.\\$\\{STACK_NAME\\}\\.version' : undefined);
  if (!pattern) return undefined;
  const out = git(dir, 'log', '--reverse', '--format=%h %s', '-G', pattern, `${after}..${tip}`, '--').trim().split('\n').filter(Boolean);
  return out[0];
}

if (json) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  for (const r of report) {
    process.stdout.write(`## ${r.repo}: ${r.commits} commits touch deployed files, ${r.pairs} pairs, ${r.flags.length} upgrade findings${r.failures ? `, ${r.failures} runs failed` : ''}\n\n`);
    for (const f of r.flags) {
      process.stdout.write(`- ${f.before}..${f.after} "${f.subject ?? ''}" — ${f.rule} (${f.severity}) at ${f.where}: ${f.message}\n`);
      process.stdout.write(`  later: ${f.evidence.length ? f.evidence.join(' · ') : '(none)'}${f.bumpSubject ? ' — a later bump/version/release commit' : ''}\n`);
      if (f.followUp) process.stdout.write(`  first later commit changing ${f.rule === 'version-not-advanced' ? 'the version label' : 'the variable'}: ${f.followUp}\n`);
    }
    process.stdout.write('\n');
  }
}

// Hostile and broken recipes through the built CLI: each must end in a clear finding (rule, file:line:col)
// or a clear error, with a documented exit code, no stack trace, and well within a hang bound.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHostileFixtures } from '../../scripts/make-hostile-fixtures.mjs';
import { CLI } from '../cli/helpers.js';

/** Not a benchmark: a run past this is a hang. */
const HANG_MS = 10_000;

interface Run {
  status: number | null;
  stderr: string;
  findings: Array<{ rule: string; severity: string; file: string; line: number; column: number; message: string }>;
}

let root: string;
let dirs: Record<string, string>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stacklint-hostile-'));
  chmodSync(root, 0o755); // the unreadable-permissions case runs as nobody when tests run as root
  dirs = makeHostileFixtures(root);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function lint(name: string, asNobody = false): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', dirs[name]], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1' },
    timeout: HANG_MS * 3,
    maxBuffer: 1 << 28,
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  const ms = performance.now() - started;
  expect(ms, `${name} took ${Math.round(ms)} ms`).toBeLessThan(HANG_MS);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  const findings = r.status === 2 ? [] : JSON.parse(r.stdout).findings;
  for (const f of findings) expect(f.message, `${f.rule} in ${name}`).not.toMatch(/internal error/);
  return { status: r.status, stderr: r.stderr, findings };
}

type Expected = [rule: string, at: string, message: RegExp];

/** name, exit code, a finding that must be there (`file:line:col`). */
const FINDINGS: Array<[string, number, Expected]> = [
  // YAML
  ['tab-indent', 1, ['yaml-syntax', 'compose.yml:3:1', /Tabs are not allowed/]],
  ['bad-indent', 1, ['yaml-syntax', 'compose.yml:17:1', /same column/]],
  ['unclosed-quote', 1, ['yaml-syntax', 'compose.yml:5:1', /Missing closing "quote/]],
  ['unclosed-flow', 1, ['yaml-syntax', 'compose.yml:3:1', /Flow map/]],
  ['duplicate-key', 1, ['yaml-syntax', 'compose.yml:17:5', /mapping key "image" already defined at line 7/]],
  ['crlf-duplicate-key', 1, ['yaml-syntax', 'compose.yml:17:5', /mapping key "image" already defined at line 7/]],
  ['alias-bomb', 1, ['yaml-syntax', 'compose.yml:24:18', /expands to more than 2000000 nodes/]],
  ['deep-flow-10000', 1, ['yaml-syntax', 'compose.yml:17:264', /nesting deeper than 256 levels/]],
  ['deep-block-10000', 1, ['yaml-syntax', 'compose.yml:18:513', /nesting deeper than 256 levels/]],
  ['huge-50mb', 1, ['yaml-syntax', 'compose.yml:1:1', /50\.0 MiB, over the 8 MiB limit/]],
  ['nul-bytes', 1, ['yaml-syntax', 'compose.yml:1:1', /compose\.yml:17: contains a NUL byte/]],
  ['binary', 1, ['yaml-syntax', 'compose.yml:1:1', /not valid UTF-8/]],
  ['invalid-utf8', 1, ['yaml-syntax', 'compose.yml:1:1', /not valid UTF-8/]],
  ['several-documents', 0, ['yaml-syntax', 'compose.yml:17:1', /more than one YAML document/]],
  ['empty', 1, ['yaml-syntax', 'compose.yml:1:1', /top level of a compose file must be a mapping/]],
  ['only-comments', 1, ['yaml-syntax', 'compose.yml:1:1', /top level of a compose file must be a mapping/]],
  ['top-level-list', 1, ['yaml-syntax', 'compose.yml:1:1', /top level of a compose file must be a mapping/]],
  ['top-level-scalar', 1, ['yaml-syntax', 'compose.yml:1:1', /top level of a compose file must be a mapping/]],
  ['non-string-keys', 1, ['yaml-syntax', 'compose.yml:18:7', /the key `1` in services\.app\.environment is a number/]],
  // yaml.v3 reads 1e400 (beyond float64) as the string "1e400", as docker does: not a duration.
  ['huge-numbers', 1, ['schema', 'compose.yml:17:24', /"1e400" is not a valid duration/]],
  ['yaml-1.1-types', 1, ['schema', 'compose.yml:17:16', /read_only must be a boolean, not a string/]],
  // Files
  ['compose-is-directory', 1, ['yaml-syntax', 'compose.yml:1:1', /is a directory/]],
  ['dangling-symlink', 1, ['yaml-syntax', 'compose.yml:1:1', /symbolic link to nothing/]],
  ['symlink-loop', 1, ['yaml-syntax', 'compose.loop.yml:1:1', /symbolic link loop/]],
  ['fifo-compose', 1, ['yaml-syntax', 'compose.yml:1:1', /not a regular file/]],
  ['config-outside', 1, ['load-failure', 'compose.yml:20:5', /configs\.passwd\.file names `\.\.\/\.\.\/etc\/passwd`, outside the recipe/]],
  ['env-file-outside', 1, ['load-failure', 'compose.yml:17:15', /outside the recipe, not read/]],
  ['compose-file-10000', 1, ['compose-file-list', '.env.sample:3:15', /names `compose\.f0\.yml`, which does not exist/]],
  ['views-over-limit', 0, ['not-analysed', '.env.sample:3:2', /more than 256 views .*; 45 were not linted/]],
  ['overlay-names-itself', 1, ['schema', 'compose.x.yml:4:5', /sets `extends`/]],
  // Interpolation
  ['interpolation-100000', 0, ['undefined-variable', 'compose.yml:18:11', /uses the variable X/]],
  ['interpolation-invalid-50000', 1, ['interpolation', 'compose.yml:18:11', /"\$" followed by "\{" is not a variable reference/]],
  ['interpolation-nested-defaults', 0, ['interpolation', 'compose.yml:18:11', /do not nest|does not nest/]],
  ['interpolation-values-with-references', 0, ['not-analysed', '.env.sample:16:5', /value too long after expansion.*\(lines 16, 30\)/]],
  // Shell
  ['shell-not-understood', 0, ['not-analysed', 'abra.sh:2:1', /abra\.sh: not evaluated — value needs shell expansion .*\(lines 2, 3\); function definition \(line 4\); compound command .*\(line 7\)/]],
  ['shell-not-understood', 0, ['not-analysed', '.env.sample:3:1', /line not understood: not a KEY=value line \(line 3\)/]],
];

describe('hostile input gives a clear finding', () => {
  it.each(FINDINGS)('%s → exit %i', (name, exit, [rule, at, message]) => {
    const run = lint(name);
    expect(run.status, run.stderr).toBe(exit);
    const hit = run.findings.find((f) => f.rule === rule && `${f.file}:${f.line}:${f.column}` === at && message.test(f.message));
    expect(hit, JSON.stringify(run.findings.filter((f) => f.rule === rule).slice(0, 5), null, 1)).toBeDefined();
  });

  it('a clean recipe, and the same with a BOM, have no findings but the README warning', () => {
    for (const name of ['clean', 'bom', 'config-ignore-redos']) {
      const run = lint(name);
      expect(run.status).toBe(0);
      expect(run.findings.map((f) => f.rule)).toEqual(['R007']);
    }
  });

  it('findings about one value stay few, and their messages short', () => {
    expect(lint('interpolation-invalid-50000').findings.filter((f) => f.rule === 'interpolation')).toHaveLength(20);
    for (const f of lint('interpolation-nested-defaults').findings) expect(f.message.length).toBeLessThan(1_000);
  });

  it('an unreadable overlay is a read error, not a crash', () => {
    const asNobody = process.getuid?.() === 0; // root reads any file: drop to nobody to see the permission error
    chmodSync(join(dirs['unreadable-overlay'], 'compose.secret.yml'), 0);
    const run = lint('unreadable-overlay', asNobody);
    expect(run.status).toBe(1);
    expect(run.findings).toContainEqual(
      expect.objectContaining({ rule: 'yaml-syntax', file: 'compose.secret.yml', line: 1, column: 1, message: expect.stringMatching(/permission denied/) }),
    );
  });
});

describe("the linted repository's own stacklint config is refused, never run", () => {
  it.each([
    ['ts-config-call', /stacklint\.config\.ts:1:25: function calls are not allowed/],
    ['ts-config-import', /stacklint\.config\.ts:1:1: the only import allowed/],
    ['ts-config-getter', /stacklint\.config\.ts:2:3: getters and setters are not allowed/],
    ['config-deep', /\.stacklintrc\.yml:1:\d+: nested too deeply/],
    ['ts-config-deep', /stacklint\.config\.ts:1:224: nested too deeply/],
  ])('%s → exit 2', (name, message) => {
    const run = lint(name);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('stacklint config on hostile files', () => {
  function config(file: string) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'config', '-c', file], { encoding: 'utf8', timeout: HANG_MS * 3 });
    expect(performance.now() - started).toBeLessThan(HANG_MS);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    return r;
  }

  it.each([
    ['alias-bomb', /excessive aliasing/],
    ['deep-flow-10000', /line 17: exceeded max depth of 256/],
    ['huge-50mb', /over the 8 MiB limit/],
    ['compose-is-directory', /is a directory/],
  ])('%s → exit 1 with a message', (name, message) => {
    const r = config(join(dirs[name], 'compose.yml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('a device that never ends is refused, not read', () => {
    const r = config('/dev/zero');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\/dev\/zero is not a regular file/);
  });
});

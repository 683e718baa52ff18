// Attacks on time and memory, each with an input generated here: the CLI must answer with its documented
// finding and exit code, within a bound that is generous for the linear path (seconds for what takes a fraction
// of one) and far too short for the quadratic one, and within a heap limit that a quadratic memory path
// exceeds (V8 "heap out of memory" ends the child, and the test, instead of the machine). The bound is on the
// child's CPU time, which a busy CI machine inflates far less than wall time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIMENSIONS, hostileText, writeRecipe } from '../../scripts/make-complexity-inputs.mjs';
import { CLI } from '../cli/helpers.js';

/** Not a benchmark: CPU time past this took the quadratic path (the linear one takes 0.2-3 s of CPU here). */
const HANG_CPU_MS = 20_000;
/** Wall-clock kill switch only (a hang must not hold CI forever); the judgement is HANG_CPU_MS. */
const KILL_MS = 300_000;

let root: string;
let probe: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'stacklint-safety-'));
  probe = join(root, 'cpu-probe.mjs');
  writeFileSync(
    probe,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.STACKLINT_CPU_FILE, String((u.user + u.system) / 1000)); });\n",
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }), 120_000);

let count = 0;
function dirFor(name: string): string {
  return join(root, `${name}-${count++}`);
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], heapMb = 1024): Run {
  const cpuFile = join(root, `cpu-${count++}`);
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', probe, CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1', STACKLINT_CPU_FILE: cpuFile },
    timeout: KILL_MS,
    maxBuffer: 1 << 29,
  });
  expect(r.signal, `killed: ${r.stderr.slice(0, 300)}`).toBeNull();
  const cpuMs = Number(readFileSync(cpuFile, 'utf8'));
  expect(cpuMs, `took ${Math.round(cpuMs)} ms of CPU`).toBeLessThan(HANG_CPU_MS);
  expect(r.stderr).not.toMatch(/internal error|heap out of memory|Maximum call stack|\n\s+at .+:\d+:\d+/);
  expect(r.stdout).not.toMatch(/internal error/);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lintJson(dir: string, heapMb?: number) {
  const r = run(['lint', '--format', 'json', dir], heapMb);
  expect([0, 1]).toContain(r.status);
  return { status: r.status, findings: JSON.parse(r.stdout).findings as Array<{ rule: string; file: string; line: number; message: string; severity: string }> };
}

const HEAD = 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25\n';

describe('unbounded memory', { timeout: KILL_MS }, () => {
  it('one 1 MB string behind 16,000 aliases is an alias bomb (bytes are counted, not only nodes)', () => {
    const dir = writeRecipe(dirFor('alias-bytes'), {
      'compose.yml': `x-big: &big "${'x'.repeat(1 << 20)}"\n${HEAD}    command:\n${'      - *big\n'.repeat(16_000)}`,
      '.env.sample': 'TYPE=x\n',
    });
    const { status, findings } = lintJson(dir, 512);
    expect(status).toBe(1);
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'yaml-syntax', file: 'compose.yml', message: expect.stringMatching(/expands to more than 16 MiB of text \(alias bomb\?\)/) }),
    );
  });

  it('values doubling through .env.sample into 160 compose values of 64 MB are left as written, with a warning each', () => {
    let env = `TYPE=x\nA0=${'x'.repeat(64)}\n`;
    for (let i = 1; i <= 10; i++) env += `A${i}=\${A${i - 1}}\${A${i - 1}}\n`;
    const values = Array.from({ length: 160 }, (_, i) => `      V${i}: "${'${A10}'.repeat(1000)}"\n`).join('');
    const dir = writeRecipe(dirFor('interpolation'), { 'compose.yml': `${HEAD}    environment:\n${values}`, '.env.sample': env });
    const { findings } = lintJson(dir, 512);
    const tooLong = findings.filter((f) => f.rule === 'interpolation' && /longer than 1 MiB/.test(f.message));
    expect(tooLong).toHaveLength(160);
    expect(tooLong[0]).toMatchObject({ file: 'compose.yml', line: 6, severity: 'warning' });
  });

  it.each(['stylish', 'junit'])('%s prints 70,000 findings (no quadratic grouping, no stack overflow)', (format) => {
    const dir = dirFor(`findings-${format}`);
    DIMENSIONS.findings.make(dir, 70_000);
    const r = run(['lint', '--format', format, dir], 2048);
    expect(r.status).toBe(1);
    const rows = r.stdout.split('\n').filter((l) => (format === 'junit' ? l.includes('<testcase ') : /^\s+\d+:\d+\s+warning/.test(l)));
    expect(rows.length).toBeGreaterThanOrEqual(70_000);
  });

  it('`stacklint network` over 3,000 recipes that all share names stays small', () => {
    const dir = dirFor('catalogue');
    DIMENSIONS.recipes.make(dir, 3000);
    const r = run(['network', '--format', 'json', dir], 512);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.crossLookups).toHaveLength(3000);
    expect(doc.crossLookups[0].answeredBy).toHaveLength(8);
    expect(doc.crossLookups[0].answeredByCount).toBe(2999);
    expect(doc.collisions.find((c: { name: string }) => c.name === 'db').recipes).toBe(3000);
  });
});

describe('crashes', { timeout: KILL_MS }, () => {
  it('a long-syntax secret without `source` next to a backupbot hook is no internal error', () => {
    const dir = writeRecipe(dirFor('secret-no-source'), {
      'compose.yml': `${HEAD}    secrets:\n      - mode: 0400\n    deploy:\n      labels:\n        backupbot.backup.pre-hook: "/pg_backup.sh backup"\n`,
      '.env.sample': 'TYPE=x\n',
    });
    const { status, findings } = lintJson(dir);
    expect(status).toBe(1);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'backupbot-labels', line: 9, message: expect.stringMatching(/runs `\/pg_backup\.sh`, which no config target/) }));
  });
});

describe('text matching stays linear', { timeout: KILL_MS }, () => {
  it('an abra.sh of 100 KB of `export` words', () => {
    const dir = writeRecipe(dirFor('abra-export'), {
      'compose.yml': `${HEAD}    environment:\n      A: \${UNSET_NAME}\n`,
      '.env.sample': 'TYPE=x\n',
      'abra.sh': `${'export '.repeat(15_000)}\n`,
    });
    const { findings } = lintJson(dir);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'undefined-variable', message: expect.stringMatching(/UNSET_NAME/) }));
  });

  it('a backupbot pre-hook label of 64 KB', () => {
    const dir = writeRecipe(dirFor('dump-label'), {
      'compose.yml': `${HEAD}    deploy:\n      labels:\n        backupbot.backup.pre-hook: "sqlite3 ${'backup'.repeat(11_000)} x"\n`,
      '.env.sample': 'TYPE=x\n',
    });
    lintJson(dir);
  });

  it("a plain stack's README of 7 MB of repeated deploy, git clone and cd commands", () => {
    const dir = writeRecipe(dirFor('deploy-lines'), {
      'docker-stack.yml': `${HEAD}    configs: [c]\nconfigs:\n  c:\n    file: ./missing.conf\n`,
      'README.md': `${[
        'docker stack deploy -c docker-stack.yml s '.repeat(50_000),
        `git clone "x ${'docker stack deploy -c a.yml "'.repeat(50_000)}`,
        `docker stack deploy -c a.yml "${"docker stack deploy -c b.yml ' ".repeat(30_000)}`,
        'cd "'.repeat(100_000),
        'cd cd '.repeat(100_000),
        Array.from({ length: 40_000 }, (_, i) => `git clone https://example.org/o/r${i}.git\ncd r${i}/sub`).join('\n'),
        'docker stack deploy -c docker-stack.yml s',
      ].join('\n')}\n`,
    });
    const { findings } = lintJson(dir);
    // The last clone entered is where the one plain deploy command runs (the first line names too many files).
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'load-failure', severity: 'info', message: expect.stringMatching(/README\.md:80004 has the operator deploy this stack inside a clone of https:\/\/example\.org\/o\/r39999\.git/) }),
    );
  });

  it('a README metadata line of 320,000 blanks', () => {
    const dir = writeRecipe(dirFor('readme'), {
      'compose.yml': HEAD,
      '.env.sample': 'TYPE=x\n',
      'README.md': `<!-- metadata -->\n* **${' '.repeat(320_000)}\n<!-- endmetadata -->\n`,
    });
    const { findings } = lintJson(dir);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'R007', file: 'README.md' }));
  });

  it.each([
    ['unclosed template actions', '{{'.repeat(256 * 1024)],
    ['a long word with no `://` after it', 'a1.b'.repeat(64 * 1024)],
  ])('a 512 KB mounted template of %s', (_what, text) => {
    const dir = writeRecipe(dirFor('template'), {
      'compose.yml': `${HEAD}    networks: [proxy]\n    configs:\n      - source: conf\n        target: /etc/app.conf\nnetworks:\n  proxy:\n    external: true\nconfigs:\n  conf:\n    name: \${STACK_NAME}_conf_\${CONF_VERSION}\n    file: app.conf.tmpl\n    template_driver: golang\n`,
      '.env.sample': 'TYPE=x\nCONF_VERSION=v1\n',
      'abra.sh': 'export CONF_VERSION=v1\n',
      'app.conf.tmpl': `${text}\nreverse_proxy app:80\n`,
    });
    lintJson(dir);
  });

  it('a 64 KB Traefik label and a URL-looking command of 1 MB', () => {
    const dir = writeRecipe(dirFor('label'), {
      'compose.yml': `${HEAD}    command: ["sh", "-c", "${hostileText(1 << 20)}"]\n    deploy:\n      labels:\n        traefik.http.services.x.loadbalancer.server.url: "http://${'a1.b'.repeat(16 * 1024)}"\n`,
      '.env.sample': 'TYPE=x\n',
    });
    lintJson(dir);
  });
});

describe('quadratic loops', { timeout: KILL_MS }, () => {
  it('duplicate-key check on the full YAML path: a CRLF file of 100,000 keys and one repeat', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `      K${i}: v`);
    keys.push('      K7: again');
    const dir = writeRecipe(dirFor('crlf-keys'), { 'compose.yml': `${HEAD}    environment:\n${keys.join('\n')}\n`.replace(/\n/g, '\r\n'), '.env.sample': 'TYPE=x\n' });
    const { status, findings } = lintJson(dir);
    expect(status).toBe(1);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'yaml-syntax', line: 100_006, message: expect.stringMatching(/mapping key "K7" already defined at line 13/) }));
  });

  it('a config file with 60,000 keys in one mapping, and a repeated key', () => {
    const lines = ['rules:', '  proxy-alias-collision:', '    - warn', '    - commonNames: [db]'];
    for (let i = 0; i < 60_000; i++) lines.push(`      k${i}: 1`);
    lines.push('      k5: 2');
    const dir = writeRecipe(dirFor('config-keys'), { 'compose.yml': HEAD, '.env.sample': 'TYPE=x\n', '.stacklintrc.yml': `${lines.join('\n')}\n` });
    const r = run(['lint', '--format', 'json', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.stacklintrc\.yml:60005:7: Map keys must be unique/);
  });

  it('host references among 8,000 services', () => {
    const dir = dirFor('services');
    DIMENSIONS.services.make(dir, 8000);
    const { findings } = lintJson(dir, 2048);
    expect(findings.filter((f) => f.rule === 'proxy-alias-collision').length).toBeGreaterThanOrEqual(8000);
  });

  it('a 5 MB stack of 20,000 Traefik-labelled services (its Traefik looked for once, not per service)', () => {
    const r = run(DIMENSIONS['traefik-services'].make(dirFor('traefik-services'), 20_000), 2048);
    expect(r.status).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; message: string }>;
    // Half the services carry their labels as container labels, which no Traefik of the stack reads.
    expect(findings.filter((f) => f.rule === 'traefik-labels' && /under `labels:`/.test(f.message))).toHaveLength(10_000);
  });

  it('an abra.sh of 100,000 lines it cannot analyse is one not-analysed finding', () => {
    const dir = dirFor('not-analysed');
    DIMENSIONS['not-analysed-lines'].make(dir, 100_000);
    const { findings } = lintJson(dir);
    const notAnalysed = findings.filter((f) => f.rule === 'not-analysed' && f.file === 'abra.sh');
    expect(notAnalysed).toHaveLength(1);
    expect(notAnalysed[0].message).toMatch(/lines 2, 3, 4, 5, 6 and 99995 more/);
  });
});

#!/usr/bin/env node
// Generated inputs that grow along one dimension each (file bytes, services, keys of a mapping, aliases,
// lines of .env.sample / abra.sh / README, template bytes, label length, findings, recipes of a catalogue),
// shaped like the inputs that once made stacklint quadratic or worse: bench/complexity.mjs doubles each size
// and compares, tests/safety/ lints the attack sizes. Nothing large is checked in: everything is written here.
//   node scripts/make-complexity-inputs.mjs DIMENSION SIZE DIR   (prints the stacklint arguments)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEAD = [
  'version: "3.8"',
  'networks:',
  '  proxy:',
  '    external: true',
  'services:',
  '  app:',
  '    image: nginx:1.25',
  '    networks: [proxy]',
  '    healthcheck:',
  '      disable: true',
];
const ENV = 'TYPE=complexity\nDOMAIN=complexity.example.com\n';

/** Writes `files` (name → text) into `dir`, creating folders. */
export function writeRecipe(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/**
 * Text of `n` bytes in the shapes that make a backtracking scanner quadratic: a long run of URL-scheme
 * characters with no `://`, a long run of dump-script characters with no `.sh`, and many `{{` never closed.
 */
export function hostileText(n) {
  const third = Math.floor(n / 3);
  return `${'a1.b'.repeat(third / 4 + 1).slice(0, third)} ${'{{'.repeat(third / 2 + 1).slice(0, third)} ${'backup'.repeat(n / 6 + 1)}`.slice(0, n);
}

/** Writes a recipe and returns the arguments that lint it with the JSON formatter. */
function lintArgs(dir, files) {
  writeRecipe(dir, files);
  return ['lint', '--format', 'json', dir];
}

/** A YAML double-quoted scalar for any text. */
const quoted = (text) => JSON.stringify(text);

/**
 * Each dimension: `make(dir, n)` writes the input of size `n` and returns the stacklint arguments (after the
 * binary). `unit` names what `n` counts; `sizes` are the bench's four doublings.
 */
export const DIMENSIONS = {
  /** One compose file of n bytes (under the 8 MiB limit): a command, a host variable and a label of n/3 each. */
  'file-bytes': {
    unit: 'bytes',
    sizes: [900 * 1024, 1800 * 1024, 3600 * 1024, 7200 * 1024],
    make(dir, n) {
      const third = hostileText(Math.floor(n / 3) - 100);
      return lintArgs(dir, {
        'compose.yml': [
          ...HEAD,
          `    command: ["sh", "-c", ${quoted(third)}]`,
          '    environment:',
          `      DB_HOST: ${quoted(third)}`,
          '    deploy:',
          '      labels:',
          `        traefik.http.services.app.loadbalancer.server.url: ${quoted(`http://${third}`)}`,
          '',
        ].join('\n'),
        '.env.sample': ENV,
      });
    },
  },
  /** n services on the shared network, each looking up the previous one by its short name. */
  services: {
    unit: 'services',
    sizes: [500, 1000, 2000, 4000],
    make(dir, n) {
      const lines = [...HEAD];
      for (let i = 0; i < n; i++) {
        lines.push(`  s${i}:`, '    image: nginx:1.25', '    networks: [proxy]', '    environment:', `      DB_HOST: s${(i + 1) % n}`);
      }
      return lintArgs(dir, { 'compose.yml': `${lines.join('\n')}\n`, '.env.sample': ENV });
    },
  },
  /**
   * n Traefik-labelled services of a plain stack deployed with -c (a generated stack): rules that look for the
   * stack's Traefik once per labelled service were quadratic; half carry their labels as container labels.
   */
  'traefik-services': {
    unit: 'services',
    sizes: [1000, 2000, 4000, 8000],
    make(dir, n) {
      const lines = ['version: "3.8"', 'services:'];
      for (let i = 0; i < n; i++) {
        const labels = [`traefik.enable=true`, `traefik.http.routers.r${i}.rule=Host(\`h${i}.example.com\`)`, `traefik.http.services.r${i}.loadbalancer.server.port=80`];
        lines.push(`  s${i}:`, '    image: nginx:1.27', '    networks: [edge]');
        if (i % 2 === 0) lines.push('    deploy:', '      labels:', ...labels.map((l) => `        - ${l}`));
        else lines.push('    labels:', ...labels.map((l) => `      - ${l}`));
      }
      lines.push('networks:', '  edge:', '    external: true', '');
      writeRecipe(dir, { 'stack.yml': lines.join('\n') });
      return ['lint', '--format', 'json', '-c', join(dir, 'stack.yml')];
    },
  },
  /** A mapping of n keys in a CRLF file (the full YAML path, not the line-based fast path). */
  'mapping-keys': {
    unit: 'keys',
    sizes: [12_500, 25_000, 50_000, 100_000],
    make(dir, n) {
      const lines = [...HEAD, '    environment:'];
      for (let i = 0; i < n; i++) lines.push(`      K${i}: v`);
      return lintArgs(dir, { 'compose.yml': `${lines.join('\r\n')}\r\n`, '.env.sample': ENV });
    },
  },
  /** A .stacklintrc.yml whose rule options mapping has n keys (the config parser's duplicate-key check). */
  'config-keys': {
    unit: 'keys',
    sizes: [8000, 16_000, 32_000, 64_000],
    make(dir, n) {
      const lines = ['rules:', '  proxy-alias-collision:', '    - warn', '    - commonNames: [db]'];
      for (let i = 0; i < n; i++) lines.push(`      k${i}: 1`);
      return lintArgs(dir, { 'compose.yml': [...HEAD, ''].join('\n'), '.env.sample': ENV, '.stacklintrc.yml': `${lines.join('\n')}\n` });
    },
  },
  /** n aliases of one 400-byte string anchor, used as environment values (13 MB expanded at the largest size). */
  aliases: {
    unit: 'aliases',
    sizes: [4000, 8000, 16_000, 32_000],
    make(dir, n) {
      const lines = [`x-big: &big ${quoted(`http://${hostileText(400)}`)}`, ...HEAD, '    environment:'];
      for (let i = 0; i < n; i++) lines.push(`      K${i}: *big`);
      return lintArgs(dir, { 'compose.yml': `${lines.join('\n')}\n`, '.env.sample': ENV });
    },
  },
  /** A .env.sample of n lines, each using the one before, some commented, feeding the compose file. */
  'env-lines': {
    unit: 'lines',
    sizes: [10_000, 20_000, 40_000, 80_000],
    make(dir, n) {
      const env = [ENV.trimEnd()];
      for (let i = 0; i < n; i++) env.push(`${i % 5 === 4 ? '#' : ''}V${i}=${i === 0 ? 'x' : `v\${V${i - 1}:-y}`}`);
      const compose = [...HEAD, '    environment:'];
      for (let i = 0; i < n; i += 50) compose.push(`      V${i}: \${V${i}}`);
      return lintArgs(dir, { 'compose.yml': `${compose.join('\n')}\n`, '.env.sample': `${env.join('\n')}\n` });
    },
  },
  /** An abra.sh of n lines: exports with many names, assignments, and functions it cannot analyse. */
  'abra-lines': {
    unit: 'lines',
    sizes: [10_000, 20_000, 40_000, 80_000],
    make(dir, n) {
      const lines = ['#!/bin/bash'];
      for (let i = 0; i < n; i++) {
        if (i % 4 === 0) lines.push(`export A${i}=1 export export export B${i} C${i}`);
        else if (i % 4 === 1) lines.push(`X${i}="$(date)"`);
        else if (i % 4 === 2) lines.push(`f${i}() { echo ${i}; }`);
        else lines.push(`export ${'export '.repeat(8)}`);
      }
      return lintArgs(dir, {
        'compose.yml': [...HEAD, '    environment:', '      A0: ${A0}', ''].join('\n'),
        '.env.sample': ENV,
        'abra.sh': `${lines.join('\n')}\n`,
      });
    },
  },
  /** A README of n lines inside its metadata block, with one item line of n spaces. */
  'readme-lines': {
    unit: 'lines',
    sizes: [40_000, 80_000, 160_000, 320_000],
    make(dir, n) {
      const lines = ['# complexity', '<!-- metadata -->', `* **${' '.repeat(n)}`];
      for (let i = 0; i < n; i++) lines.push(i % 2 ? `* **Key${i}**: value ${i}` : `- ** ${'  '.repeat(4)}x${i}`);
      lines.push('<!-- endmetadata -->');
      return lintArgs(dir, { 'compose.yml': [...HEAD, ''].join('\n'), '.env.sample': ENV, 'README.md': `${lines.join('\n')}\n` });
    },
  },
  /** A mounted Go template of n bytes: unclosed `{{`, scheme-like words, directives and assignments. */
  'template-bytes': {
    unit: 'bytes',
    sizes: [512 * 1024, 1024 * 1024, 2048 * 1024, 4096 * 1024],
    make(dir, n) {
      const compose = [
        ...HEAD,
        '    configs:',
        '      - source: conf',
        '        target: /etc/app.conf',
        'configs:',
        '  conf:',
        '    name: ${STACK_NAME}_conf_${CONF_VERSION}',
        '    file: app.conf.tmpl',
        '    template_driver: golang',
        '',
      ];
      const lines = [];
      let size = 0;
      for (let i = 0; size < n; i++) {
        const line = [
          `# comment {{ ${hostileText(200)}`,
          `reverse_proxy s${i}:80 ${hostileText(120)}`,
          `db_host = "s${i}" ; {{ env "STACK_NAME" }}_x`,
          hostileText(300),
        ][i % 4];
        lines.push(line);
        size += line.length + 1;
      }
      return lintArgs(dir, { 'compose.yml': compose.join('\n'), '.env.sample': `${ENV}CONF_VERSION=v1\n`, 'app.conf.tmpl': `${lines.join('\n')}\n` });
    },
  },
  /** A backupbot hook label and a Traefik label of n bytes each. */
  'label-length': {
    unit: 'bytes',
    sizes: [256 * 1024, 512 * 1024, 1024 * 1024, 2048 * 1024],
    make(dir, n) {
      const compose = [
        ...HEAD,
        '    deploy:',
        '      labels:',
        `        backupbot.backup.pre-hook: ${quoted(`sh -c 'pg_dumpx ${'a'.repeat(n)}`)}`,
        `        traefik.http.middlewares.x.redirectregex.regex: ${quoted(`$${'sqlite3 backup.'.repeat(Math.ceil(n / 15)).slice(0, n)}`)}`,
        `        traefik.http.services.x.loadbalancer.server.url: ${quoted(`http://${hostileText(n)}`)}`,
        '',
      ];
      return lintArgs(dir, { 'compose.yml': compose.join('\n'), '.env.sample': ENV });
    },
  },
  /** n findings (an undefined variable per environment entry), printed by the stylish formatter. */
  findings: {
    unit: 'findings',
    sizes: [5000, 10_000, 20_000, 40_000],
    make(dir, n) {
      const lines = [...HEAD, '    environment:'];
      for (let i = 0; i < n; i++) lines.push(`      K${i}: \${UNDEFINED_${i}}`);
      return lintArgs(dir, { 'compose.yml': `${lines.join('\n')}\n`, '.env.sample': ENV });
      return ['lint', '--format', 'stylish', '--no-color', dir];
    },
  },
  /** The same n findings as JUnit XML. */
  'findings-junit': {
    unit: 'findings',
    sizes: [5000, 10_000, 20_000, 40_000],
    make(dir, n) {
      const args = DIMENSIONS.findings.make(dir, n);
      return ['lint', '--format', 'junit', args[args.length - 1]];
    },
  },
  /** A catalogue of n small recipes on the shared network, each with the same short names. */
  recipes: {
    unit: 'recipes',
    sizes: [250, 500, 1000, 2000],
    make(dir, n) {
      for (let i = 0; i < n; i++) {
        const compose = [...HEAD, '    environment:', '      DB_HOST: db', '  db:', '    image: postgres:16', '    networks: [proxy]', ''];
        writeRecipe(join(dir, `r${String(i).padStart(5, '0')}`), { 'compose.yml': compose.join('\n'), '.env.sample': ENV });
      }
      return ['network', '--format', 'json', '-j', '1', dir];
    },
  },
  /** An abra.sh of n lines none of which can be analysed (each a not-analysed item). */
  'not-analysed-lines': {
    unit: 'lines',
    sizes: [12_500, 25_000, 50_000, 100_000],
    make(dir, n) {
      const lines = ['#!/bin/bash'];
      for (let i = 0; i < n; i++) lines.push(`V${i}=$(cat /x${i})`);
      return lintArgs(dir, { 'compose.yml': [...HEAD, ''].join('\n'), '.env.sample': ENV, 'abra.sh': `${lines.join('\n')}\n` });
    },
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, size, dir] = process.argv.slice(2);
  const dimension = DIMENSIONS[name];
  if (!dimension || !size || !dir) {
    process.stderr.write(`usage: make-complexity-inputs.mjs DIMENSION SIZE DIR\ndimensions: ${Object.keys(DIMENSIONS).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`${dimension.make(dir, Number(size)).join(' ')}\n`);
}

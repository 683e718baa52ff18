#!/usr/bin/env node
// Writes one recipe per hostile or broken input into a directory (tests/hostile/ asserts what stacklint
// says about each). Generated, not checked in: several are huge (50 MB), binary, or symlinks/FIFOs.
//   node scripts/make-hostile-fixtures.mjs DIR
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// A recipe with no findings but R007's README warning; cases append to its `app` service (line 17 on).
const CLEAN = [
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
  '    deploy:',
  '      labels:',
  '        - "traefik.enable=true"',
  '        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"',
  '        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=80"',
  '        - "coop-cloud.${STACK_NAME}.version=1.0.0+1.25"',
  '',
].join('\n');
const ENV = 'TYPE=hostile\nDOMAIN=hostile.example.com\n';

/** Nine anchors, each a list of nine aliases of the previous: 9^9 ≈ 387 million nodes when expanded. */
function billionLaughs() {
  const names = 'abcdefghi';
  let text = `x-lol:\n  ${names[0]}: &${names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i < names.length; i++) {
    text += `  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]\n`;
  }
  return `${CLEAN}${text}`;
}

/** 299 distinct combinations of nine overlays in COMPOSE_FILE lines: more views than the limit. */
function manyViews() {
  const overlays = Array.from({ length: 9 }, (_, i) => `compose.o${i}.yml`);
  const files = { 'compose.yml': CLEAN };
  for (const o of overlays) files[o] = 'version: "3.8"\nservices:\n  app:\n    environment:\n      A: "1"\n';
  const lines = [];
  for (let mask = 1; mask < 300; mask++) {
    const chosen = overlays.filter((_, i) => mask & (1 << i));
    lines.push(`#COMPOSE_FILE="compose.yml:${chosen.join(':')}"`);
  }
  files['.env.sample'] = `${ENV}${lines.join('\n')}\n`;
  return files;
}

/** Recipe name → files (string or Buffer contents; `{ link }` for a symlink, `{ dir: true }`, `{ fifo: true }`). */
export function hostileRecipes() {
  const recipes = {
    // YAML
    'tab-indent': { 'compose.yml': 'version: "3.8"\nservices:\n\tapp:\n\t\timage: nginx:1.25\n' },
    clean: { 'compose.yml': CLEAN },
    'bad-indent': { 'compose.yml': `${CLEAN}   ports: ["80:80"]\n` },
    'unclosed-quote': { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: "nginx:1.25\n' },
    'unclosed-flow': { 'compose.yml': 'version: "3.8"\nservices: {app: {image: nginx:1.25}\n' },
    'duplicate-key': { 'compose.yml': `${CLEAN}    image: nginx:1.26\n` },
    'alias-bomb': { 'compose.yml': billionLaughs() },
    'deep-flow-10000': { 'compose.yml': `${CLEAN}x-deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` },
    'deep-block-10000': { 'compose.yml': `${CLEAN}x-deep:\n  ${'- '.repeat(10_000)}x\n` },
    'huge-50mb': { 'compose.yml': `${CLEAN}x-pad: |\n${`  ${'y'.repeat(1021)}\n`.repeat(50 * 1024)}` },
    'nul-bytes': { 'compose.yml': `${CLEAN}    command: "a\0b"\n` },
    binary: { 'compose.yml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xd8]) },
    'invalid-utf8': { 'compose.yml': Buffer.concat([Buffer.from(`${CLEAN}    command: "`), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]) },
    bom: { 'compose.yml': `\uFEFF${CLEAN}` },
    'crlf-duplicate-key': { 'compose.yml': `${CLEAN}    image: nginx:1.26\n`.replace(/\n/g, '\r\n') },
    'several-documents': { 'compose.yml': `${CLEAN}---\nservices:\n  other:\n    image: redis:7\n` },
    empty: { 'compose.yml': '' },
    'only-comments': { 'compose.yml': '# nothing here yet\n# version: "3.8"\n' },
    'top-level-list': { 'compose.yml': '- version: "3.8"\n- services: {}\n' },
    'top-level-scalar': { 'compose.yml': 'just a string\n' },
    'non-string-keys': { 'compose.yml': `${CLEAN}    environment:\n      1: one\n      true: yes\n` },
    'huge-numbers': { 'compose.yml': `${CLEAN}    stop_grace_period: 1e400\n    x-huge: 999999999999999999999999999999\n    x-long: 0x${'f'.repeat(5000)}\n` },
    'yaml-1.1-types': {
      'compose.yml': `${CLEAN}    read_only: yes\n    x-when: 2001-12-14t21:59:43.10-05:00\n    x-octal: 0o17\n    x-old-octal: 010\n    x-bin: !!binary aGVsbG8=\n    x-set: !!set {a, b}\n    x-hex: 0x_1F\n`,
    },
    // Files
    'compose-is-directory': { 'compose.yml': { dir: true } },
    'dangling-symlink': { 'compose.yml': { link: 'does-not-exist.yml' } },
    'symlink-loop': { 'compose.yml': CLEAN, 'compose.loop.yml': { link: 'compose.loop.yml' }, 'sub/up': { link: '..' } },
    'config-outside': {
      'compose.yml': `${CLEAN}    configs: [passwd, shadow]\nconfigs:\n  passwd:\n    file: ../../etc/passwd\n  shadow:\n    file: ./shadow.conf\n`,
      'shadow.conf': { link: '/etc/passwd' },
      'abra.sh': 'export PASSWD_VERSION=v1\n',
    },
    'env-file-outside': { 'compose.yml': `${CLEAN}    env_file: ../../etc/passwd\n` },
    'fifo-compose': { 'compose.yml': { fifo: true } },
    'unreadable-overlay': { 'compose.yml': CLEAN, 'compose.secret.yml': { text: CLEAN, mode: 0 }, '.env.sample': `${ENV}#COMPOSE_FILE="compose.yml:compose.secret.yml"\n` },
    'compose-file-10000': {
      'compose.yml': CLEAN,
      '.env.sample': `${ENV}COMPOSE_FILE="${Array.from({ length: 10_000 }, (_, i) => `compose.f${i}.yml`).join(':')}"\n`,
    },
    'views-over-limit': manyViews(),
    'overlay-names-itself': {
      'compose.yml': CLEAN,
      'compose.x.yml': 'version: "3.8"\nservices:\n  app:\n    extends:\n      file: compose.x.yml\n      service: app\n',
      '.env.sample': `${ENV}COMPOSE_FILE="compose.yml:compose.x.yml:compose.x.yml"\n${'COMPOSE_FILE="$COMPOSE_FILE:$COMPOSE_FILE"\n'.repeat(40)}`,
    },
    // Interpolation
    'interpolation-100000': { 'compose.yml': `${CLEAN}    environment:\n      A: "${'${X}'.repeat(100_000)}"\n` },
    'interpolation-invalid-50000': { 'compose.yml': `${CLEAN}    environment:\n      A: "${'${'.repeat(50_000)}"\n` },
    'interpolation-nested-defaults': { 'compose.yml': `${CLEAN}    environment:\n      A: "${'${X:-'.repeat(5_000)}z${'}'.repeat(5_000)}"\n` },
    'interpolation-values-with-references': {
      'compose.yml': `${CLEAN}    environment:\n      A: "\${V40}"\n`,
      '.env.sample': `${ENV}V0='\${V0}\${V0}'\n${Array.from({ length: 40 }, (_, i) => `V${i + 1}="$V${i}$V${i}"`).join('\n')}\n`,
    },
    // Shell stacklint does not evaluate
    'shell-not-understood': {
      'compose.yml': CLEAN,
      'abra.sh': 'export APP_VERSION=v1\nexport BUILD=$(date)\nexport HOST=`hostname`\nsetup() {\n  echo hi\n}\n( cd /tmp && ls )\n',
      '.env.sample': `${ENV}if true; then X=1; fi\n`,
    },
    // stacklint's own config, from the linted repository: refused, never run
    'ts-config-call': { 'compose.yml': CLEAN, 'stacklint.config.ts': "export default { rules: compute() };\n" },
    'ts-config-import': { 'compose.yml': CLEAN, 'stacklint.config.ts': "import { execSync } from 'node:child_process';\nexport default {};\n" },
    'ts-config-getter': { 'compose.yml': CLEAN, 'stacklint.config.ts': 'export default {\n  get rules() { return {}; },\n};\n' },
    'config-ignore-redos': { 'compose.yml': CLEAN, '.stacklintrc.yml': `ignore: ["${'**/'.repeat(30)}x"]\n` },
    'ts-config-deep': { 'compose.yml': CLEAN, 'stacklint.config.ts': `export default { rules: ${'['.repeat(100_000)}${']'.repeat(100_000)} };\n` },
    'config-deep': { 'compose.yml': CLEAN, '.stacklintrc.yml': `rules: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` },
  };
  for (const files of Object.values(recipes)) {
    if (!('.env.sample' in files)) files['.env.sample'] = ENV;
  }
  return recipes;
}

/** Writes every recipe under `root`; returns name → absolute directory. */
export function makeHostileFixtures(root) {
  const out = {};
  for (const [name, files] of Object.entries(hostileRecipes())) {
    const dir = resolve(root, name);
    mkdirSync(dir, { recursive: true });
    for (const [rel, content] of Object.entries(files)) {
      const path = join(dir, rel);
      mkdirSync(join(path, '..'), { recursive: true });
      if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(path, content);
      else if (content.link) symlinkSync(content.link, path);
      else if (content.dir) mkdirSync(path);
      else if (content.fifo) spawnSync('mkfifo', [path]);
      else if (content.text !== undefined) {
        writeFileSync(path, content.text);
        chmodSync(path, content.mode);
      }
    }
    out[name] = dir;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: node scripts/make-hostile-fixtures.mjs DIR');
    process.exit(2);
  }
  const made = makeHostileFixtures(root);
  console.log(`${Object.keys(made).length} recipes in ${resolve(root)}`);
}

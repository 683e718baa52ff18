// On a plain swarm stack no message or fix speaks of a recipe: docker stack deploy sets no STACK_NAME, so a
// fix never asks for `${STACK_NAME}_…` (nor writes it as an edit). Rules whose fixtures cannot set a
// configuration (sharedNetworks) are checked here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintRecipe } from '../../src/lint/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { defaultConfig } from '../../src/config/index.js';

const STACK = `services:
  web:
    image: nginx:1.27
    networks: [edge]
    environment:
      DB_HOST: db
  db:
    image: postgres:16
    networks: [edge]
networks:
  edge:
    external: true
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function lintWithSharedEdge(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-words-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const config = { ...defaultConfig(), sharedNetworks: ['edge'], sharedNetworksSet: true };
  return lintRecipe(dir, { rules: ALL_RULES, config, only: ['proxy-alias-collision'], root: dir });
}

describe('proxy-alias-collision words its fix by the stack kind', () => {
  it('a plain stack: the deployed stack name, no ${STACK_NAME}, no edit', () => {
    const result = lintWithSharedEdge({ 'docker-stack.yml': STACK });
    expect(result.kind).toBe('plain');
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding.fix).toContain('`<stack>_db`');
    expect(finding.fix).not.toContain('STACK_NAME');
    expect(finding.edits ?? []).toEqual([]);
  });

  it('a recipe: ${STACK_NAME}_db, with the edit that writes it', () => {
    const result = lintWithSharedEdge({ 'compose.yml': STACK, 'abra.sh': 'export X=1\n' });
    expect(result.kind).toBe('recipe');
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding.fix).toContain('${STACK_NAME}_db');
    expect(finding.edits?.length).toBeGreaterThan(0);
  });
});

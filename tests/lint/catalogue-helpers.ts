// Temporary catalogues made of the repository's fixture recipes (each test gets its own copy).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(__dirname, '../..');

/** The fixture recipes a test catalogue is made of, by name in the catalogue. */
export const FIXTURE_RECIPES: Record<string, string> = {
  blog: 'fixtures/catalogue/blog',
  discourse: 'fixtures/example-recipe',
  'discourse-copy': 'fixtures/example-recipe',
  healthy: 'fixtures/ladder/healthy',
  shop: 'fixtures/catalogue/shop',
  wiki: 'fixtures/catalogue/wiki',
};

export interface TempCatalogue {
  dir: string;
  cleanup(): void;
  write(rel: string, text: string): void;
}

export function tempCatalogue(recipes: Record<string, string> = FIXTURE_RECIPES): TempCatalogue {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-catalogue-'));
  for (const [name, from] of Object.entries(recipes)) cpSync(join(REPO, from), join(dir, name), { recursive: true });
  return {
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    write: (rel, text) => writeFileSync(join(dir, rel), text),
  };
}

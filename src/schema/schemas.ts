// Loads docker's JSON schemas (shipped in schemas/docker-cli-v28.2.2) from disk, once per version.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaNode } from './gojsonschema.js';

const SCHEMA_DIR = join('schemas', 'docker-cli-v28.2.2');

let schemaDir: string | undefined;

/** The schema folder, found upwards from this module: works from src/ (tests) and dist/ (bundle). */
function findSchemaDir(): string {
  if (schemaDir) return schemaDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, SCHEMA_DIR);
    if (existsSync(candidate)) return (schemaDir = candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`stacklint: cannot find ${SCHEMA_DIR} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const cache = new Map<string, SchemaNode>();

/** The parsed schema for a supported version ("3.0" … "3.13"). */
export function loadSchema(version: string): SchemaNode {
  let schema = cache.get(version);
  if (!schema) {
    schema = JSON.parse(readFileSync(join(findSchemaDir(), `config_schema_v${version}.json`), 'utf8')) as SchemaNode;
    cache.set(version, schema);
  }
  return schema;
}

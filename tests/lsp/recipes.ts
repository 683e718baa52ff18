// Temporary recipes for the language-server tests.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-textdocument';
import { ROOT } from './client.js';

export const EXAMPLE_RECIPE = join(ROOT, 'fixtures/example-recipe');
export const CORPUS = '/work/shared/corpus/recipes';

const made: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-lsp-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of a recipe directory in a fresh temporary directory (under `name`). */
export function copyRecipe(from: string, name = 'recipe'): string {
  const dir = join(tempDir(), name);
  cpSync(from, dir, { recursive: true });
  return dir;
}

export function writeRecipe(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A small recipe with something to hover, navigate and fix: an overlay replacing the base's image. */
export const NAV_RECIPE: Record<string, string> = {
  'compose.yml': `version: "3.8"

services:
  app:
    image: nginx:1.27
    environment:
      - DOMAIN=\${DOMAIN}
    depends_on:
      - db
    configs:
      - source: nginx_conf
        target: /etc/nginx/nginx.conf
    networks:
      - internal
  db:
    image: postgres:16.2
    networks:
      - internal

configs:
  nginx_conf:
    name: \${STACK_NAME}_nginx_conf_\${NGINX_CONF_VERSION}
    file: nginx.conf.tmpl
    template_driver: golang

networks:
  internal:
`,
  'compose.smtp.yml': `version: "3.8"
services:
  app:
    image: nginx:1.28
    secrets:
      - smtp_password

secrets:
  smtp_password:
    external: true
    name: \${STACK_NAME}_smtp_password_\${SECRET_SMTP_PASSWORD_VERSION}
`,
  '.env.sample': `TYPE=nav
DOMAIN=nav.example.com
NGINX_CONF_VERSION=v1

#COMPOSE_FILE="compose.yml:compose.smtp.yml"
#SECRET_SMTP_PASSWORD_VERSION=v1
`,
  'nginx.conf.tmpl': `server { server_name {{ env "DOMAIN" }}; }
`,
};

export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 0, text), edits);
}

/** A JavaScript stack frame, as a crash would print one. */
export const STACK_FRAME = /\n\s+at .+(\(|:\d+:\d+)/;

// The recipe the gate's scenarios start from, and the changes they make to it.

// The base recipe: sidekiq in compose.yml, configured further by the smtpauth overlay. Its one
// pre-existing finding: `app` uses the secret db_password, which no file defines.
export const COMPOSE = `---
version: "3.8"

services:
  app:
    image: nginx:1.27.0
    secrets:
      - db_password
    networks:
      - internal
    healthcheck:
      test: ["CMD", "true"]

  sidekiq:
    image: nginx:1.27.0
    networks:
      - internal
    healthcheck:
      test: ["CMD", "true"]

networks:
  internal:
`;

export const OVERLAY = `---
version: "3.8"

services:
  app:
    environment:
      - SMTP_AUTH=1

  sidekiq:
    environment:
      - SMTP_AUTH=1
    healthcheck:
      test: ["CMD", "true"]
`;

export const ENV_SAMPLE = `TYPE=example
DOMAIN=example.coopcloud.tech
#COMPOSE_FILE="compose.yml:compose.smtpauth.yml"
`;

export const RECIPE = { 'compose.yml': COMPOSE, 'compose.smtpauth.yml': OVERLAY, '.env.sample': ENV_SAMPLE, 'README.md': '# example\n' };

/** The R011 regression: sidekiq moved out of compose.yml, left behind in the overlay. */
export const WITHOUT_SIDEKIQ = COMPOSE.replace(/\n  sidekiq:\n(?: {4}.*\n)+/, '\n');

/** Comments and blank lines inserted above every existing finding: nothing else changes. */
export const COMMENTED = COMPOSE.replace('---\n', '---\n# A comment at the top.\n\n\n').replace(
  '    secrets:\n',
  '    # The secret comes from the host.\n\n    secrets:\n',
);

/** The same document, indented by four spaces instead of two. */
export const REINDENTED = COMPOSE.replace(/^( +)/gm, (s) => ' '.repeat(s.length * 2));

/** The old finding fixed: the secret is defined. */
export const FIXED = `${COMPOSE}
secrets:
  db_password:
    external: true
`;


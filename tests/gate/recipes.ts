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
      - proxy
      - internal
    healthcheck:
      test: ["CMD", "true"]
    deploy:
      labels:
        - "traefik.enable=true"
        - "traefik.http.services.\${STACK_NAME}.loadbalancer.server.port=80"
        - "traefik.http.routers.\${STACK_NAME}.rule=Host(\`\${DOMAIN}\`)"
        - "traefik.http.routers.\${STACK_NAME}.entrypoints=web-secure"
        - "traefik.http.routers.\${STACK_NAME}.tls.certresolver=\${LETS_ENCRYPT_ENV}"
        - "coop-cloud.\${STACK_NAME}.version=0.1.0+1.27.0"

  sidekiq:
    image: nginx:1.27.0
    networks:
      - internal
    healthcheck:
      test: ["CMD", "true"]

networks:
  proxy:
    external: true
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
LETS_ENCRYPT_ENV=production
#COMPOSE_FILE="compose.yml:compose.smtpauth.yml"
`;

export const README = `# example

<!-- metadata -->
* **Category**: Apps
* **Status**: 1, alpha
* **Image**: [nginx](https://hub.docker.com/_/nginx), 4, upstream
* **Healthcheck**: Yes
* **Backups**: No
* **Email**: No
* **Tests**: No
* **SSO**: No
<!-- endmetadata -->
`;

export const RECIPE = { 'compose.yml': COMPOSE, 'compose.smtpauth.yml': OVERLAY, '.env.sample': ENV_SAMPLE, 'README.md': README };

/**
 * The R011 regression: sidekiq moved out of compose.yml, left behind in the overlay — released as a new
 * recipe version, so that the upgrade rules (version-not-advanced) have nothing to say.
 */
export const WITHOUT_SIDEKIQ = COMPOSE.replace(/\n  sidekiq:\n(?: {4}.*\n)+/, '\n').replace('version=0.1.0+1.27.0', 'version=0.1.1+1.27.0');

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


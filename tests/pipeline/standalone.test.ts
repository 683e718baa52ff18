// A file beside a stack's base that is a stack of its own (src/pipeline/standalone.ts).
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import { standaloneOverlay } from '../../src/pipeline/standalone.js';

const BASE = loadYamlText('services:\n  web:\n    build: .\nnetworks:\n  edge: {}\nvolumes:\n  data: {}\n', 'compose.yml');
const standalone = (text: string) => standaloneOverlay(BASE, loadYamlText(text, 'compose.swarm.yml'));

describe('standaloneOverlay', () => {
  it('is true for complete services of its own, using only what the file defines', () => {
    expect(standalone('services:\n  app:\n    image: nginx:1.27\n')).toBe(true);
    expect(
      standalone(
        'services:\n  app:\n    image: nginx:1.27\n    networks: {front: {aliases: [a]}}\n    volumes: ["db:/var/lib", "./conf:/etc/conf", {type: bind, source: /srv, target: /srv}]\n    secrets: [{source: key}]\n    configs: [conf]\nnetworks:\n  front: {}\nvolumes:\n  db: {}\nsecrets:\n  key: {file: ./key}\nconfigs:\n  conf: {file: ./conf}\n',
      ),
    ).toBe(true);
  });

  it('is false for an overlay: a shared service, a missing image, a name the base defines, nothing to deploy', () => {
    for (const text of [
      'services:\n  web:\n    image: nginx:1.27\n',
      'services:\n  app:\n    command: ["true"]\n',
      'services:\n  app:\n    image: ""\n',
      'services:\n  app:\n    image: nginx:1.27\n    networks: [edge]\n',
      'services:\n  app:\n    image: nginx:1.27\n    volumes: ["data:/data"]\n',
      'services:\n  app:\n    image: nginx:1.27\n    volumes: [{type: volume, source: data, target: /data}]\n',
      'services:\n  app:\n    image: nginx:1.27\n    secrets: [key]\n',
      'services:\n  app:\n    image: nginx:1.27\n    depends_on: [web]\n',
      'services:\n  app:\n    image: nginx:1.27\n    depends_on: {web: {condition: service_started}}\n',
      'services:\n  app:\n    image: nginx:1.27\n    links: ["web:www"]\n',
      'networks:\n  edge: {}\n',
      'services: {}\n',
      'services:\n  app: [\n',
    ]) {
      expect(standalone(text), text).toBe(false);
    }
  });
});

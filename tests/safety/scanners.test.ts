// The scanners that replaced backtracking regular expressions answer exactly as those expressions did
// (checked against them on generated text: the old patterns are fine on short input, only slow on long).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namesAssignedInText, namesSetInShell } from '../../src/views/abra-sh.js';
import { metadataItem } from '../../src/rules/abra/r007.js';
import { writtenHostIp } from '../../src/rules/security/published-port.js';
import { maskTemplate, urlHosts } from '../../src/swarm/host-text.js';

const NAMES = ['A', 'B_1', 'export', 'declare', 'x', 'APP_VERSION'];
const PIECES = [...NAMES, ' ', '\t', '\n', '=', ';', '&', '|', '(', ')', '-x', '1', '$', '"', '#', 'export ', 'declare -x '];
const shellText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

function oldSetInShell(text: string, name: string): boolean {
  return (
    new RegExp(`(^|[\\s;&|(])(export[ \\t]+|declare[ \\t]+-x[ \\t]+)?${name}=`, 'm').test(text) ||
    new RegExp(`(^|[\\s;&|(])export[ \\t]+([A-Za-z_][A-Za-z0-9_]*[ \\t]+)*${name}\\b`, 'm').test(text)
  );
}

describe('abra.sh name scanners', () => {
  it('namesSetInShell finds the names the per-name expressions found', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        const found = namesSetInShell(text);
        for (const name of NAMES) expect(found.has(name), `${JSON.stringify(text)} ${name}`).toBe(oldSetInShell(text, name));
      }),
      { numRuns: 3000 },
    );
  });

  it('namesAssignedInText finds the names /\\bNAME=/ found', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        const found = namesAssignedInText(text);
        for (const name of NAMES) expect(found.has(name), `${JSON.stringify(text)} ${name}`).toBe(new RegExp(`\\b${name}=`).test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads `export` lists of any length in one pass', () => {
    const text = `${'export '.repeat(200_000)}A\n`;
    const started = performance.now();
    expect(namesSetInShell(text).has('A')).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('README metadata item scanner', () => {
  const OLD_ITEM = /^\s*[*-]\s+\*\*\s*([^*:]+?)\s*(?::\s*\*\*|\*\*\s*:)\s*(.*)$/;
  const line = fc
    .array(fc.constantFrom('*', '-', ' ', '\t', '**', ':', 'Key', 'a b', 'x', '\u00a0', '\r', '*  ', ' value'), { maxLength: 14 })
    .map((parts) => parts.join(''));

  it('reads exactly the lines the old expression read, with the same key and value', () => {
    fc.assert(
      fc.property(line, (text) => {
        const m = OLD_ITEM.exec(text);
        expect(metadataItem(text), JSON.stringify(text)).toEqual(m ? { key: m[1], value: m[2] } : undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads a line of a million blanks at once', () => {
    const started = performance.now();
    expect(metadataItem(`* **${' '.repeat(1_000_000)}`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('published-port host IP', () => {
  const OLD = /^(\[[^\]]*\]|\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*::[0-9a-fA-F:]*):[^:]*:[^:]+$/;
  const port = fc.array(fc.constantFrom(':', '::', '[', ']', '127', '.', '0', '1', 'a', 'fe80', '8080', '/tcp', ' '), { maxLength: 12 }).map((p) => p.join(''));

  it('finds the IP the old expression found', () => {
    fc.assert(
      fc.property(port, (text) => {
        expect(writtenHostIp(text), JSON.stringify(text)).toBe(OLD.exec(text.trim())?.[1]);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('URL and template scanners', () => {
  const OLD_URL = /([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^\s/@'"`<>]*@)?(\[[^\]\s/]*\]|[A-Za-z0-9_.\x01\x02-]+)/g;
  const NON_NETWORK = new Set(['file', 'unix', 'data', 'npipe', 'jar', 'about']);
  const oldUrlHosts = (text: string) =>
    [...text.matchAll(OLD_URL)]
      .filter((m) => !NON_NETWORK.has(m[1].toLowerCase()))
      .map((m) => ({ host: m[2], start: m.index! + m[0].length - m[2].length }));
  const text = fc
    .array(fc.constantFrom('http', '://', 'a', '1', '+', '.', '-', '_', '@', '/', ' ', '[', ']', '::1', 'db', 'file', '{{', '}}', '\n', '\x01'), { maxLength: 24 })
    .map((p) => p.join(''));

  it('urlHosts finds the hosts the old expression found', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(urlHosts(t).map(({ host, start }) => ({ host, start })), JSON.stringify(t)).toEqual(oldUrlHosts(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('maskTemplate masks the actions the old expression masked', () => {
    const oldMask = (t: string) =>
      t.replace(/\{\{[\s\S]*?\}\}/g, (a) => a.replace(/[^\n]/g, /^\{\{-?\s*env\s+"STACK_NAME"\s*-?\}\}$/.test(a) ? '\x01' : '\x02'));
    fc.assert(
      fc.property(text, (t) => {
        const noComments = t.replace(/[#;/<]/g, 'x'); // comment masking is unchanged; compare the actions only
        expect(maskTemplate(noComments), JSON.stringify(noComments)).toBe(oldMask(noComments));
      }),
      { numRuns: 5000 },
    );
  });

  it('scans a long word with no `://` and many unclosed `{{` at once', () => {
    const started = performance.now();
    expect(urlHosts(`${'a1.b'.repeat(250_000)} ${'{{'.repeat(250_000)}`)).toEqual([]);
    expect(maskTemplate('{{'.repeat(500_000)).length).toBe(1_000_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

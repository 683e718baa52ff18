import { describe, expect, it } from 'vitest';
import { cannotSuppressInline, suppressionEdit, takesHashComments } from '../../src/lint/suppress-edit.js';

const COMPOSE = [
  '---',
  'version: "3.8"',
  '',
  '# Enables SMTP authentication.',
  'services:',
  '  sidekiq:   # keep: upstream',
  '    environment:',
  '      - A=1',
  '',
].join('\n');

describe('suppressionEdit', () => {
  it('inserts one directive above the line, indented like it, and changes nothing else', () => {
    const edit = suppressionEdit({ text: COMPOSE, file: 'compose.smtpauth.yml', line: 6, rule: 'R011', reason: 'upstream issue #12' });
    expect(edit).toEqual({
      ok: true,
      directiveLine: 6,
      extended: false,
      text: COMPOSE.replace('  sidekiq:', '  # stacklint-disable-next-line R011 -- upstream issue #12\n  sidekiq:'),
    });
  });

  it('keeps CRLF line endings, a BOM, and a last line without a newline', () => {
    const text = '\uFEFFservices:\r\n\tapp:\r\n    image: x';
    const edit = suppressionEdit({ text, file: 'Caddyfile.tmpl', line: 2, rule: 'R002', reason: 'why' });
    expect(edit.ok && edit.text).toBe('\uFEFFservices:\r\n\t# stacklint-disable-next-line R002 -- why\r\n\tapp:\r\n    image: x');
    const first = suppressionEdit({ text, file: 'Caddyfile.tmpl', line: 1, rule: 'R002', reason: 'why' });
    expect(first.ok && first.text.startsWith('\uFEFF# stacklint-disable-next-line R002 -- why\r\nservices:')).toBe(true);
    const last = suppressionEdit({ text, file: 'Caddyfile.tmpl', line: 3, rule: 'R002', reason: 'why' });
    expect(last.ok && last.text.endsWith('    # stacklint-disable-next-line R002 -- why\r\n    image: x')).toBe(true);
  });

  it('collapses a multi-line reason to one line and refuses an empty one', () => {
    const edit = suppressionEdit({ text: COMPOSE, file: 'compose.yml', line: 6, rule: 'R011', reason: '  two\nlines  ' });
    expect(edit.ok && edit.text.split('\n')[5]).toBe('  # stacklint-disable-next-line R011 -- two lines');
    expect(suppressionEdit({ text: COMPOSE, file: 'compose.yml', line: 6, rule: 'R011', reason: ' \n ' })).toEqual({ ok: false, message: 'a reason is required' });
  });

  it('extends a directive already above the line instead of stacking a second one (which would retarget the first)', () => {
    const text = COMPOSE.replace('  sidekiq:', '  # stacklint-disable-next-line R002 -- no healthcheck upstream\n  sidekiq:');
    const edit = suppressionEdit({ text, file: 'compose.yml', line: 7, rule: 'R011', reason: 'moved' });
    expect(edit.ok && edit.extended).toBe(true);
    expect(edit.ok && edit.directiveLine).toBe(6);
    expect(edit.ok && edit.text.split('\n')[5]).toBe('  # stacklint-disable-next-line R002, R011 -- no healthcheck upstream; R011: moved');
    expect(edit.ok && edit.text.split('\n').length).toBe(text.split('\n').length);
    const again = suppressionEdit({ text, file: 'compose.yml', line: 7, rule: 'R002', reason: 'x' });
    expect(again.ok).toBe(false);
  });

  it('refuses a line inside a multi-line YAML value, where a comment would become content', () => {
    const text = 'services:\n  app:\n    command: |\n      run one\n      run two\n';
    const edit = suppressionEdit({ text, file: 'compose.yml', line: 5, rule: 'R002', reason: 'x' });
    expect(edit.ok).toBe(false);
    expect(!edit.ok && edit.message).toMatch(/inside a multi-line value/);
    expect(suppressionEdit({ text, file: 'compose.yml', line: 3, rule: 'R002', reason: 'x' }).ok).toBe(true);
  });

  it('refuses YAML that does not load, lines that do not exist, and files without # comments', () => {
    expect(suppressionEdit({ text: 'a: [\n', file: 'compose.yml', line: 1, rule: 'R1', reason: 'x' })).toMatchObject({ ok: false, message: expect.stringMatching(/does not load as YAML/) });
    expect(suppressionEdit({ text: 'a: 1\n', file: 'compose.yml', line: 9, rule: 'R1', reason: 'x' })).toMatchObject({ ok: false, message: expect.stringMatching(/has no line 9/) });
    expect(suppressionEdit({ text: '{}\n', file: 'config.json.tmpl', line: 1, rule: 'R1', reason: 'x' })).toMatchObject({ ok: false, message: expect.stringMatching(/no `#` comments/) });
    expect(suppressionEdit({ text: ':80 {\n}\n', file: 'Caddyfile.tmpl', line: 1, rule: 'R1', reason: 'see {{ .x }}' })).toMatchObject({ ok: false, message: expect.stringMatching(/\{\{/) });
  });

  it('knows which files take # comments', () => {
    for (const f of ['compose.yml', 'compose.x.yaml', 'Caddyfile.tmpl', 'nginx.conf.tmpl', '.env.sample', 'abra.sh', 'conf/entrypoint.sh.tmpl', 'app.toml']) {
      expect(takesHashComments(f), f).toBe(true);
    }
    for (const f of ['config.json', 'index.html.tmpl', 'settings.js', 'README.md']) expect(takesHashComments(f), f).toBe(false);
    expect(cannotSuppressInline('compose.yml', 'unused-suppression')).toMatch(/editing or deleting/);
    expect(cannotSuppressInline('compose.yml', 'R011')).toBeUndefined();
  });
});

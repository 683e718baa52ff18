// docker's env_file reader (opts.ParseEnvFile over a bufio.Scanner): the line-length limit and docker 28's
// error texts. Each expectation was measured with `docker stack config` 28.2.2 on a file of that shape.
import { describe, expect, it } from 'vitest';
import { parseDockerEnvFile } from '../../src/merge/env-file.js';

const none = () => undefined;
const TOO_LONG = { ok: false, error: 'bufio.Scanner: token too long' };

describe('an env_file line of 64 KiB or more is refused as docker refuses it', () => {
  it.each([
    ['65,535 bytes then \\n', `A=${'x'.repeat(65533)}\n`, true],
    ['65,536 bytes then \\n', `A=${'x'.repeat(65534)}\n`, false],
    ['65,534 bytes then \\r\\n (the \\r counts)', `A=${'x'.repeat(65532)}\r\n`, true],
    ['65,535 bytes then \\r\\n', `A=${'x'.repeat(65533)}\r\n`, false],
    ['a last line of 65,535 bytes without a newline', `A=${'x'.repeat(65533)}`, true],
    ['a last line of 65,536 bytes without a newline', `A=${'x'.repeat(65534)}`, false],
    ['65,535 bytes of two-byte characters', `A=${'é'.repeat(32766)}x\n`, true],
    ['65,536 bytes of two-byte characters', `A=${'é'.repeat(32767)}\n`, false],
    ['a comment line of 70,002 bytes', `# ${'x'.repeat(70000)}\n`, false],
  ])('%s', (_name, text, accepted) => {
    const result = parseDockerEnvFile(text, none);
    if (accepted) expect(result.ok).toBe(true);
    else expect(result).toEqual(TOO_LONG);
  });

  it('reports the first problem in file order, as the scanner meets it', () => {
    expect(parseDockerEnvFile(`a b=1\nA=${'x'.repeat(70000)}\n`, none)).toEqual({ ok: false, error: "variable 'a b' contains whitespaces" });
    expect(parseDockerEnvFile(`A=${'x'.repeat(70000)}\na b=1\n`, none)).toEqual(TOO_LONG);
  });
});

describe('docker 28 wording (after "invalid env file (PATH): ")', () => {
  it.each([
    ['a b=1\n', "variable 'a b' contains whitespaces"],
    ['a\tb=1\n', "variable 'a\tb' contains whitespaces"],
    ['=1\n', "no variable name on line '=1'"],
  ])('%j', (text, error) => {
    expect(parseDockerEnvFile(text, none)).toEqual({ ok: false, error });
  });
});

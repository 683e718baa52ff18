// docker's format checkers; accept/reject verdicts checked against docker CLI 28.2.2.
import { describe, expect, it } from 'vitest';
import { isGoDuration } from '../../src/schema/index.js';
import { isPortsFormat } from '../../src/schema/port-spec.js';

describe('duration (time.ParseDuration)', () => {
  it.each(['0', '-0', '+0', '30s', '1h30m', '1.5h', '.5s', '5.s', '300ms', '1us', '1\u00b5s', '1\u03bcs', '10ns', '-1m', '2562047h47m16.854775807s', '-2562047h47m16.854775808s'])(
    'accepts %s',
    (s) => expect(isGoDuration(s)).toBe(true),
  );

  it.each(['', '1', '1d', '10x', 's', '.s', '-', '1 s', ' 1s', '1s ', '1S', '1h1', '2562047h47m16.854775808s', '9223372036854775808ns', '1e3s'])(
    'rejects %j',
    (s) => expect(isGoDuration(s)).toBe(false),
  );
});

describe('ports (nat.ParsePortSpec)', () => {
  it.each([
    '0', '80', '080', '80:80', '80/udp', '80/TCP', '80/sctp', '80/', '80/tcp/extra', '8080-8090:80-90/udp', '80-81:80', '1-2-3',
    '1.2.3.4:80:80', '::1:80:80', '[::1]:80:80', '::ffff:1.2.3.4:80:80', ':80:80', '1.2.3.4::80', '65535', '0-0', '0000000080',
  ])('accepts %j', (s) => expect(isPortsFormat(s)).toBe(true));

  it.each([
    '', 'str', '10x', '/tcp', '+80', '80:80/xyz', '01.2.3.4:80:80', '1.2.3.256:80:80', '[::1:80:80', 'fe80::1%eth0:80:80',
    'localhost:80:80', '80:80-81', '80-81:90-92', '81-80', '65536', '70000', 'a:80:80', '1.2.3.4:80:', '-1', '1:2:3:4:5:6:7:8:9:80:80',
  ])('rejects %j', (s) => expect(isPortsFormat(s)).toBe(false));

  it('checks numbers by the numerator of their exact decimal value', () => {
    expect(isPortsFormat(80)).toBe(true);
    expect(isPortsFormat(0.5)).toBe(true); // 1/2 -> "1"
    expect(isPortsFormat(1.5)).toBe(true); // 3/2 -> "3"
    expect(isPortsFormat(-1)).toBe(false);
    expect(isPortsFormat(-1.5)).toBe(false);
    expect(isPortsFormat(65535.5)).toBe(false); // 131071/2
    expect(isPortsFormat(70000)).toBe(false);
  });
});

// ports-quoted (style preset): short-syntax port entries are written as quoted strings.
import { defineRule } from '../rule.js';
import { asMapping, loadedComposeFiles, code } from '../kit/files.js';
import { scalarSource } from '../kit/edits.js';

export default defineRule({
  meta: {
    id: 'ports-quoted',
    name: 'ports-quoted',
    level: 'off',
    fixable: true,
    presets: ['style'],
    description: 'A short-syntax `ports:` entry is an unquoted scalar (opt-in: `style` preset; `--fix` adds double quotes).',
    details: [
      'Docker\'s own parser (yaml.v3) reads `8080:80` as a string, but YAML 1.1 tools read `22:22` as the base-60 number',
      '1342, and editors and other linters disagree about it; quoting every port keeps the file unambiguous for every',
      'reader. Purely a style rule (dclint\'s `require-quotes-in-ports`), so it is off unless the `style` preset is',
      'chosen; `--fix` wraps the entry in double quotes and changes nothing else.',
    ].join('\n'),
    fix: 'Quote the port: `- "8080:80"`.',
  },
  check(ctx) {
    for (const { file, doc, data } of loadedComposeFiles(ctx)) {
      const services = asMapping(data.services);
      for (const service of Object.keys(services ?? {})) {
        const ports = asMapping(services![service])?.ports;
        if (!Array.isArray(ports)) continue;
        ports.forEach((port, i) => {
          if (typeof port !== 'string' && typeof port !== 'number') return;
          const path = ['services', service, 'ports', i];
          const source = scalarSource(doc, path);
          if (!source || source.style !== 'plain') return;
          const written = doc.text.slice(source.start, source.end);
          const range = doc.locate(path)!;
          ctx.report({
            message: `port ${code(written)} of service ${service} is not quoted`,
            file,
            line: range.start.line,
            column: range.start.column,
            endLine: range.end.line,
            endColumn: range.end.column,
            logicalPath: `services.${service}.ports[${i}]`,
            edits: /["\\]/.test(written) ? undefined : [{ file, start: source.start, end: source.end, text: `"${written}"` }],
          });
        });
      }
    }
  },
});

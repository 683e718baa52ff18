import { lintRecipe } from '../src/lint/engine.ts';
import { defaultConfig } from '../src/config/index.ts';
import { rawOf, rawEntryValue } from '../src/rules/util-net-raw.ts';
import { isHostEnvKey } from '../src/rules/util-net-hosts.ts';
import { readdirSync } from 'node:fs';
let total = 0, skip = 0, undef = 0, labels = 0, lskip = 0;
const probe = { meta: { id: 'probe', name: 'probe', level: 'error', description: '', fix: '' }, check(ctx: any) {
  for (const v of ctx.views) { if (!v.config) continue; for (const [sn, s] of Object.entries<any>(v.config.services ?? {})) {
    for (const k of Object.keys(s.environment ?? {})) { total++; const val = rawEntryValue(rawOf(ctx, v, ['services', sn, 'environment', k])); if (val === undefined) { undef++; continue; } if (!val.includes('://') && !val.includes('$') && !isHostEnvKey(k)) skip++; }
    for (const k of Object.keys(s.deploy?.labels ?? {})) { if (!k.startsWith('traefik.')) continue; labels++; const val = rawEntryValue(rawOf(ctx, v, ['services', sn, 'deploy', 'labels', k])); if (val === undefined || (!val.includes('://') && !val.includes('$'))) lskip++; }
  } }
} };
const dir = process.argv[2];
for (const r of readdirSync(dir)) lintRecipe(`${dir}/${r}`, { rules: [probe as any], config: defaultConfig() });
console.log({ total, skip, undef, labels, lskip });

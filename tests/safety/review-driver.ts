// Runs `stacklint review`'s actions (the code its s, b and o keys call) in a process of their own, against
// real recipes, and prints the status line the screen would show for each, as one JSON array. The editor is
// the real hand-over (cli/review/actions.ts runInTerminal), started from $EDITOR.
//   node --import tsx review-driver.ts '[{"recipe":"/tmp/…/recipe","action":"suppress","file":"compose.yml","rule":"R011"}]'
// A job with "finding" acts on that finding as given (one captured earlier, or a crafted one), not on one
// the lint reports now. With --serve, jobs come one per line on stdin and each result is a line on stdout
// (a long-lived reviewer for the concurrency tests).
import { createActions } from '../../cli/review/actions.js';
import { applyBaselines } from '../../src/gate/index.js';
import { runLint } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/lint/types.js';

interface Job {
  recipe: string;
  action: 'suppress' | 'baseline' | 'open' | 'findings';
  file?: string;
  rule?: string;
  finding?: Finding;
  reason?: string;
}

async function lint(recipeDir: string): Promise<Finding[]> {
  const result = await runLint([recipeDir], { rules: ALL_RULES });
  try {
    applyBaselines(result);
  } catch {
    // a broken or refused baseline: review's own actions say so
  }
  return result.findings;
}

async function run(job: Job): Promise<unknown> {
  const lintStartedMs = Date.now();
  const findings = await lint(job.recipe);
  if (job.action === 'findings') return findings;
  const finding = job.finding ?? findings.find((f) => f.file === job.file && (job.rule === undefined || f.rule === job.rule));
  if (!finding) return { tone: 'none', text: `no finding in ${job.file}: ${findings.map((f) => `${f.file}:${f.rule}`).join(', ')}` };
  const actions = createActions({ recipeDir: job.recipe, rules: ALL_RULES.map((r) => r.meta), lint: () => lint(job.recipe), findings, lintStartedMs });
  const reason = job.reason ?? 'accepted by the safety tests';
  const result =
    job.action === 'suppress' ? await actions.suppress(finding, reason) : job.action === 'baseline' ? await actions.baseline(finding, reason) : await actions.open(finding);
  return { tone: result.status?.tone, text: result.status?.text };
}

if (process.argv[2] === '--serve') {
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    process.stdout.write(`${JSON.stringify(await run(JSON.parse(line) as Job))}\n`);
  }
} else {
  const out: unknown[] = [];
  for (const job of JSON.parse(process.argv[2]) as Job[]) out.push(await run(job));
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

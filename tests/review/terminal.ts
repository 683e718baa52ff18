// A real terminal for end-to-end tests of `stacklint review`: a private tmux server (its own socket), one
// 80×24 session, keys sent with send-keys, the screen read with capture-pane.
import { spawnSync } from 'node:child_process';
import { CLI } from '../cli/helpers.js';

const WAIT = 15_000;
// The commands below are POSIX sh; a tmux started inside another one must not think it is nested.
const TMUX_ENV = { ...process.env, SHELL: '/bin/sh', TMUX: '' };
let counter = 0;

export const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Fails, saying how to install it, when tmux is missing: nothing is skipped. */
export function requireTmux(): void {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('tmux is not installed: apt-get install tmux (listed in .ci/apt-packages)');
}

export class Terminal {
  readonly socket = `stacklint-review-${process.pid}-${++counter}`;
  readonly session = `review-${counter}`;

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000, env: TMUX_ENV });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** What the terminal shows; with `history`, everything it printed, scrolled off or not. */
  screen(history = false): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.session, ...(history ? ['-S', '-'] : []));
  }

  /** Polls the screen until `text` is on it. */
  async see(text: string | RegExp, history = false): Promise<string> {
    const deadline = Date.now() + WAIT;
    for (;;) {
      const s = this.screen(history);
      if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`not on screen after ${WAIT} ms: ${String(text)}\n---\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Named keys (Enter, Escape, Up…) or single characters, one send-keys each, as typed. */
  keys(...names: string[]): void {
    for (const k of names) this.tmux('send-keys', '-t', this.session, k);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /** Runs a shell command in a fresh 80×24 terminal. */
  run(command: string): void {
    this.tmux('new-session', '-d', '-s', this.session, '-x', '80', '-y', '24', command);
  }

  /** Starts `stacklint review [ARGS] DIR` (in `cwd`); the pane stays to show the exit status. */
  startReview(dir: string, env: Record<string, string> = {}, args: string[] = [], cwd?: string): void {
    const vars = Object.entries({ TERM: 'xterm-256color', ...env }).map(([k, v]) => `${k}=${quote(v)}`);
    this.run(`${cwd ? `cd ${quote(cwd)} && ` : ''}env -u CI -u CONTINUOUS_INTEGRATION ${vars.join(' ')} ${quote(process.execPath)} ${quote(CLI)} review ${args.map(quote).join(' ')} ${quote(dir)}; echo "[exit $?]"; sleep 60`);
  }

  dispose(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-session', '-t', this.session], { env: TMUX_ENV });
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: TMUX_ENV });
  }
}

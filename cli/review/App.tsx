// The review screen: paints the layout, turns keys into reducer events, and runs the side effect the
// reducer asks for (through `actions`, so tests can drive it with fakes or a temporary recipe).
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import type { Key } from 'ink';
import type { Finding } from '../../src/lint/types.js';
import type { FindingDetail } from './detail.js';
import { renderScreen } from './layout.js';
import type { Line } from './layout.js';
import { initialState, reduce } from './state.js';
import type { KeyPress, ReviewState, Status } from './state.js';

export interface EffectResult {
  status?: Status;
  /** Findings of a fresh lint, when the action re-linted. */
  findings?: Finding[];
  changed?: Partial<ReviewState['changed']>;
  /** The terminal was handed to another program (the editor): repaint everything. */
  repaint?: boolean;
}

export interface ReviewActions {
  describe(finding: Finding): FindingDetail;
  suppress(finding: Finding, reason: string): Promise<EffectResult>;
  baseline(finding: Finding, reason: string): Promise<EffectResult>;
  open(finding: Finding): Promise<EffectResult>;
  relint(): Promise<EffectResult>;
}

export interface ReviewAppProps {
  recipeName: string;
  findings: Finding[];
  actions: ReviewActions;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  width?: number;
  height?: number;
  /** Written before a full repaint (the runner's "back to our screen, cleared"). */
  repaintPrefix?: string;
  status?: Status;
  onQuit?: (state: ReviewState) => void;
}

export function ReviewApp(props: ReviewAppProps) {
  const { exit } = useApp();
  const { stdout, write } = useStdout();
  const [state, dispatch] = useReducer(reduce, undefined, () => initialState(props.findings, { status: props.status }));
  const size = useTerminalSize(stdout, props.width, props.height);
  const describe = useMemo(() => memoDescribe(props.actions), [props.actions]);
  const screen = renderScreen({ state, recipeName: props.recipeName, width: size.width, height: size.height, describe });
  const metrics = useRef(screen);
  metrics.current = screen;

  useInput((input, key) => {
    for (const p of splitPresses(input, toKeyPress(input, key))) {
      dispatch({ type: 'key', key: p, pageSize: metrics.current.listHeight || metrics.current.detailHeight, detailMax: metrics.current.detailMaxScroll });
    }
  });

  useEffect(() => {
    const effect = state.effect;
    if (!effect) return;
    if (effect.kind === 'quit') {
      props.onQuit?.(state);
      exit();
      return;
    }
    let cancelled = false;
    // Deferred, so the "re-linting…" status is painted before the work blocks the event loop.
    const timer = setTimeout(() => {
      const run = async (): Promise<EffectResult> => {
        switch (effect.kind) {
          case 'suppress':
            return props.actions.suppress(effect.finding, effect.reason);
          case 'baseline':
            return props.actions.baseline(effect.finding, effect.reason);
          case 'open':
            return props.actions.open(effect.finding);
          case 'relint':
            return props.actions.relint();
        }
      };
      run().then(
        (result) => {
          if (cancelled) return;
          if (result.repaint) write(props.repaintPrefix ?? '');
          dispatch({ type: 'effect-done', status: result.status, findings: result.findings, changed: result.changed });
        },
        (err: unknown) => {
          if (!cancelled) dispatch({ type: 'effect-done', status: { tone: 'error', text: `failed: ${(err as Error)?.message ?? String(err)}` } });
        },
      );
    }, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [state.effect]);

  return (
    <Box flexDirection="column">
      {screen.lines.map((line, i) => (
        <ScreenLine key={i} line={line} />
      ))}
    </Box>
  );
}

function ScreenLine({ line }: { line: Line }) {
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate">
      {line.map((s, i) => (
        <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

/**
 * Keys typed faster than one read, or pasted, arrive as one string ("k\r", "reason text\r"): each
 * character is its own key press. Escape sequences (arrows) arrive whole and stay one.
 */
function splitPresses(input: string, press: KeyPress): KeyPress[] {
  const chars = [...input];
  if (chars.length <= 1 || input.startsWith('\u001b')) return [press];
  return chars.map((ch): KeyPress => {
    if (ch === '\r' || ch === '\n') return { input: '', enter: true };
    if (ch === '\u007f' || ch === '\b') return { input: '', erase: true };
    if (ch === '\t') return { input: '', tab: true };
    return { input: ch };
  });
}

function toKeyPress(input: string, key: Key): KeyPress {
  return {
    input,
    up: key.upArrow,
    down: key.downArrow,
    left: key.leftArrow,
    right: key.rightArrow,
    enter: key.return,
    escape: key.escape,
    erase: key.backspace || key.delete,
    pageUp: key.pageUp,
    pageDown: key.pageDown,
    ctrl: key.ctrl,
    meta: key.meta,
    tab: key.tab,
  };
}

/** One description per finding object: a re-lint brings new objects, so stale details drop out. */
function memoDescribe(actions: ReviewActions): (f: Finding) => FindingDetail {
  const cache = new WeakMap<Finding, FindingDetail>();
  return (f) => {
    let d = cache.get(f);
    if (!d) cache.set(f, (d = actions.describe(f)));
    return d;
  };
}

function useTerminalSize(stdout: NodeJS.WriteStream, width?: number, height?: number): { width: number; height: number } {
  const read = () => ({ width: width ?? (stdout.columns || 80), height: height ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (width !== undefined && height !== undefined) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, width, height]);
  return width !== undefined && height !== undefined ? { width, height } : size;
}

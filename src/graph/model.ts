// A small graph model (nodes, edges, clusters) and its two text forms: Graphviz dot and Mermaid flowcharts.
// Pure: every label is escaped, so names from a recipe can never break out of their quotes.
import { visible } from '../report/common.js';

export type NodeKind = 'service' | 'network' | 'volume' | 'bind' | 'secret' | 'config' | 'name' | 'note';
export type EdgeKind = 'network' | 'volume' | 'secret' | 'config' | 'depends_on' | 'joins' | 'lookup';

export interface GraphNode {
  id: string;
  /** Lines of the label; the first is the name. */
  label: string[];
  kind: NodeKind;
  /** Drawn as a warning: a name several recipes share, a reference to nothing, a failed view. */
  alert?: boolean;
  /** A shared external network, or a name on one. */
  shared?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
  alert?: boolean;
}

export interface GraphCluster {
  id: string;
  label: string;
  /** Ids of the nodes drawn inside the cluster. */
  nodes: string[];
}

export interface Graph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

const DOT_SHAPES: Record<NodeKind, string> = {
  service: 'box',
  network: 'hexagon',
  volume: 'cylinder',
  bind: 'folder',
  secret: 'octagon',
  config: 'note',
  name: 'ellipse',
  note: 'plaintext',
};

const DOT_EDGE_STYLE: Record<EdgeKind, string> = {
  network: 'solid',
  volume: 'solid',
  secret: 'dotted',
  config: 'dotted',
  depends_on: 'dashed',
  joins: 'solid',
  lookup: 'dashed',
};

/** A dot string literal: quotes, backslashes, line breaks and control characters escaped. */
export function dotString(text: string): string {
  // Control and bidi characters as visible \uXXXX text first: the graph may be printed to a terminal.
  return `"${visible(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

export function toDot(graph: Graph): string {
  const out: string[] = [];
  out.push(`digraph ${dotString(graph.name)} {`);
  out.push('  rankdir=LR;');
  out.push('  node [fontname="Helvetica", fontsize=11];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  const clustered = new Set(graph.clusters.flatMap((c) => c.nodes));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodeLine = (n: GraphNode, indent: string) => {
    const attrs = [`label=${dotString(n.label.join('\n'))}`, `shape=${DOT_SHAPES[n.kind]}`];
    if (n.shared) attrs.push('style="bold"');
    if (n.alert) attrs.push('color="#c00000"', 'fontcolor="#c00000"');
    else if (n.kind === 'bind' || n.kind === 'note') attrs.push('fontcolor="#555555"');
    return `${indent}${dotString(n.id)} [${attrs.join(', ')}];`;
  };
  graph.clusters.forEach((cluster, i) => {
    out.push(`  subgraph ${dotString(`cluster_${i}`)} {`);
    out.push(`    label=${dotString(cluster.label)};`);
    out.push('    style="rounded"; color="#999999";');
    for (const id of cluster.nodes) {
      const n = byId.get(id);
      if (n) out.push(nodeLine(n, '    '));
    }
    out.push('  }');
  });
  for (const n of graph.nodes) if (!clustered.has(n.id)) out.push(nodeLine(n, '  '));
  for (const e of graph.edges) {
    const attrs = [`style=${DOT_EDGE_STYLE[e.kind]}`];
    if (e.label) attrs.push(`label=${dotString(e.label)}`);
    if (e.alert) attrs.push('color="#c00000"', 'fontcolor="#c00000"');
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Mermaid label text: quotes and markup characters as entity codes, lines joined with <br/>. */
export function mermaidLabel(lines: string[]): string {
  const esc = (s: string) =>
    s
      .replace(/\r?\n/g, ' ')
      .replace(/[#"<>&|{}[\]()`\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `#${c.charCodeAt(0)};`);
  return `"${lines.map(esc).join('<br/>')}"`;
}

const MERMAID_SHAPES: Record<NodeKind, [string, string]> = {
  service: ['[', ']'],
  network: ['{{', '}}'],
  volume: ['[(', ')]'],
  bind: ['[/', '/]'],
  secret: ['[[', ']]'],
  config: ['>', ']'],
  name: ['([', '])'],
  note: ['[', ']'],
};

const MERMAID_ARROWS: Record<EdgeKind, string> = {
  network: '-->',
  volume: '-->',
  secret: '-.->',
  config: '-.->',
  depends_on: '-.->',
  joins: '-->',
  lookup: '-.->',
};

export function toMermaid(graph: Graph): string {
  // Mermaid ids must be plain words: every node gets a short generated one.
  const ids = new Map<string, string>();
  graph.nodes.forEach((n, i) => ids.set(n.id, `n${i}`));
  const idOf = (id: string) => {
    let short = ids.get(id);
    if (!short) ids.set(id, (short = `n${ids.size}`));
    return short;
  };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: string[] = ['flowchart LR'];
  const nodeLine = (n: GraphNode, indent: string) => {
    const [open, close] = MERMAID_SHAPES[n.kind];
    return `${indent}${idOf(n.id)}${open}${mermaidLabel(n.label)}${close}`;
  };
  const clustered = new Set(graph.clusters.flatMap((c) => c.nodes));
  graph.clusters.forEach((cluster, i) => {
    out.push(`  subgraph c${i}[${mermaidLabel([cluster.label])}]`);
    for (const id of cluster.nodes) {
      const n = byId.get(id);
      if (n) out.push(nodeLine(n, '    '));
    }
    out.push('  end');
  });
  for (const n of graph.nodes) if (!clustered.has(n.id)) out.push(nodeLine(n, '  '));
  const alertEdges: number[] = [];
  graph.edges.forEach((e, i) => {
    const label = e.label ? `|${mermaidLabel([e.label])}|` : '';
    out.push(`  ${idOf(e.from)} ${MERMAID_ARROWS[e.kind]}${label} ${idOf(e.to)}`);
    if (e.alert) alertEdges.push(i);
  });
  const alerts = graph.nodes.filter((n) => n.alert).map((n) => idOf(n.id));
  const shared = graph.nodes.filter((n) => n.shared && !n.alert).map((n) => idOf(n.id));
  if (alerts.length > 0) {
    out.push('  classDef alert stroke:#c00000,stroke-width:2px,color:#c00000');
    out.push(`  class ${alerts.join(',')} alert`);
  }
  if (shared.length > 0) {
    out.push('  classDef shared stroke-width:3px');
    out.push(`  class ${shared.join(',')} shared`);
  }
  if (alertEdges.length > 0) out.push(`  linkStyle ${alertEdges.join(',')} stroke:#c00000,color:#c00000`);
  return `${out.join('\n')}\n`;
}

// Lays out a plan's task graph for the run page: one band of columns per phase, a task's
// column is its depth among same-phase dependencies, and each depends_on edge is a curve.

export interface GraphTaskInput {
  id: string;
  phase: number;
  dependsOn: readonly string[];
}

export interface GraphNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** SVG path data built from numbers only. */
  path: string;
}

export interface GraphPhase {
  phase: number;
  x: number;
  width: number;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  phases: GraphPhase[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 48;
const GAP_X = 60;
const GAP_Y = 18;
const PAD = 16;
const PHASE_LABEL = 24;

export function layoutTaskGraph(tasks: readonly GraphTaskInput[]): GraphLayout {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const task = byId.get(id);
    // A cycle or unknown id cannot be laid out deeper; valid plans have neither.
    if (!task || visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const dep of task.dependsOn) {
      const other = byId.get(dep);
      if (other && other.phase === task.phase) d = Math.max(d, depthOf(dep) + 1);
    }
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };

  const phaseNumbers = [...new Set(tasks.map((t) => t.phase))].sort((a, b) => a - b);
  const nodes: GraphNode[] = [];
  const phases: GraphPhase[] = [];
  let x = PAD;
  let height = 0;
  for (const phase of phaseNumbers) {
    const columns: string[][] = [];
    for (const task of tasks) {
      if (task.phase !== phase) continue;
      const d = depthOf(task.id);
      (columns[d] ??= []).push(task.id);
    }
    const used = columns.filter((c) => c !== undefined);
    const phaseX = x;
    used.forEach((column, col) => {
      column.forEach((id, row) => {
        const y = PAD + PHASE_LABEL + row * (NODE_HEIGHT + GAP_Y);
        nodes.push({ id, x: phaseX + col * (NODE_WIDTH + GAP_X), y, width: NODE_WIDTH, height: NODE_HEIGHT });
        height = Math.max(height, y + NODE_HEIGHT + PAD);
      });
    });
    const width = used.length * NODE_WIDTH + Math.max(0, used.length - 1) * GAP_X;
    phases.push({ phase, x: phaseX, width });
    x += width + GAP_X;
  }

  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: GraphEdge[] = [];
  for (const task of tasks) {
    const to = at.get(task.id);
    for (const dep of task.dependsOn) {
      const from = at.get(dep);
      if (!from || !to) continue;
      const x1 = from.x + from.width;
      const y1 = from.y + from.height / 2;
      const x2 = to.x;
      const y2 = to.y + to.height / 2;
      const bend = Math.max(20, (x2 - x1) / 2);
      edges.push({ from: dep, to: task.id, path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}` });
    }
  }
  return { nodes, edges, phases, width: Math.max(x - GAP_X + PAD, PAD * 2), height: Math.max(height, PAD * 2 + PHASE_LABEL) };
}

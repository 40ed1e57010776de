#!/usr/bin/env node
/**
 * Fails (exit 1) when the top-level folders of src/messaging depend on each other in a cycle, e.g.
 * providers → channels → queue → providers, even when no single file cycle exists. Run by
 * `npm run lint` after dependency-cruiser's own rules (.dependency-cruiser.cjs): those see files, or
 * folders at every depth, so a cycle through different subfolders (providers/smtp → channels/email,
 * channels/sms → providers/twilio) would pass them. The graph is dependency-cruiser's, with the same
 * configuration, so both checks agree on what an import is.
 *
 * Files directly in src/messaging (the module, its options and tokens) belong to no folder and are
 * left out: the module wires every folder, and its option types are read by every folder.
 *
 * Usage: node scripts/check-folder-cycles.mjs [dir...]   (default: src; run from the project root)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FOLDER = /^src\/messaging\/([^/]+)\//;

function cruise(targets) {
  // The package exports no bin path; this script sits in the project whose node_modules has it.
  const bin = fileURLToPath(new URL('../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [bin, ...targets, '--output-type', 'json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0 || run.error) {
    process.stderr.write(run.stderr || String(run.error));
    process.exit(2);
  }
  return JSON.parse(run.stdout).modules;
}

/** folder → (folder → one file-level import that makes the edge, for the message). */
function folderGraph(modules) {
  const graph = new Map();
  for (const module of modules) {
    const from = FOLDER.exec(module.source)?.[1];
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = FOLDER.exec(dependency.resolved)?.[1];
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, `${module.source} → ${dependency.resolved}`);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components; every component of two or more folders holds a cycle. */
function cyclicComponents(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node)?.keys() ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** One cycle through `start` inside `component` (breadth-first, so the shortest), as a folder list. */
function cycleThrough(graph, component, start) {
  const members = new Set(component);
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (previous.get(path[0]) !== undefined) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

const targets = process.argv.slice(2);
const graph = folderGraph(cruise(targets.length > 0 ? targets : ['src']));
const components = cyclicComponents(graph);
for (const component of components) {
  const cycle = cycleThrough(graph, component, component[0]);
  console.error(`  error no-folder-cycle: ${cycle.join(' → ')}`);
  for (let i = 0; i + 1 < cycle.length; i++) console.error(`      ${graph.get(cycle[i]).get(cycle[i + 1])}`);
}
if (components.length > 0) {
  console.error(`\nx ${components.length} folder cycle(s) between the top-level folders of src/messaging`);
  process.exit(1);
}
console.log(`✔ no folder cycles between the ${graph.size} top-level folders of src/messaging that import others`);

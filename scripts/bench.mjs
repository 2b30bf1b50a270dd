// Runs every benchmark in out/bench/*.bench.js (compiled from bench/*.bench.ts) in this one process, prints a
// table of ours against the peer with the ratio, and writes bench/results.json. `npm run bench -- NAME` runs
// only the benchmarks whose name contains NAME. Figures are measurements, not tests: nothing here fails on time.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const dir = join('out', 'bench');
const filter = process.argv.slice(2);
const benchmarks = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .sort()
  .flatMap((f) => require(join(process.cwd(), dir, f)).benchmarks)
  .filter((b) => filter.length === 0 || filter.some((part) => b.name.includes(part)));

const resultsFile = join('bench', 'results.json');
const results = existsSync(resultsFile) && filter.length > 0 ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
const rows = [];
for (const bench of benchmarks) {
  process.stderr.write(`running ${bench.name}: ${bench.description}\n`);
  const r = await bench.run();
  // Above 1 always means we are ahead, whichever way the unit counts.
  const ratio = r.better === 'higher' ? r.ours / r.peer : r.peer / r.ours;
  results[bench.name] = { ours: round(r.ours), peer: round(r.peer), unit: r.unit, ratio: round(r.ours / r.peer), better: r.better, ...(r.notes ? { notes: r.notes } : {}) };
  rows.push([bench.name, `${round(r.ours)} ${r.unit}`, `${round(r.peer)} ${r.unit}`, `${round(r.ours / r.peer)}`, `${round(ratio)}x ${ratio >= 1 ? 'ahead' : 'behind'}`]);
}
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
const header = ['benchmark', 'ours', 'peer', 'ratio ours/peer', 'standing'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
for (const [name, r] of Object.entries(results)) {
  if (!r.notes || (filter.length > 0 && !filter.some((part) => name.includes(part)))) continue;
  console.log(`\n${name}:`);
  for (const [k, v] of Object.entries(r.notes)) console.log(`  ${k}: ${v}`);
}
console.log(`\nwritten to ${resultsFile}`);

function round(n) {
  return typeof n === 'number' ? Number(n.toPrecision(4)) : n;
}

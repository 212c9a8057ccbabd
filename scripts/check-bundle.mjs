#!/usr/bin/env node
// The product bundle carries no benchmark code. Run after `npm run build:check` (part of `npm test`):
// reads the dry-run output of the product Worker and fails if any module from bench/ was bundled, or
// if the floor's route prefix, its SQL marker (`/* bench-floor */`) or its names appear anywhere in it
// (which would catch the floor copied into src/ as well as imported from bench/).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.resolve(root, process.argv[2] ?? ".wrangler/dry-run");
const benchDir = path.join(root, "bench") + path.sep;

/** `/bench-floor`, `/* bench-floor *\/`, benchFloorRoutes, BENCH_FLOOR, … */
const FLOOR = /bench[-_]?floor/i;

const problems = [];
const files = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith(".js")) : [];
if (files.length === 0) problems.push(`no bundle in ${path.relative(root, outDir)}: run \`npm run build:check\` first`);

for (const file of files) {
  const lines = readFileSync(path.join(outDir, file), "utf8").split("\n");
  lines.forEach((line, i) => {
    // esbuild opens every bundled module with a `// <path>` comment.
    if (/^\/\/ bench\//.test(line)) problems.push(`${file}:${i + 1}: bundles a module from bench/: ${line.trim()}`);
    if (FLOOR.test(line)) problems.push(`${file}:${i + 1}: floor marker: ${line.trim().slice(0, 160)}`);
  });
  const mapFile = path.join(outDir, `${file}.map`);
  if (existsSync(mapFile)) {
    const { sources = [] } = JSON.parse(readFileSync(mapFile, "utf8"));
    for (const source of sources) {
      if (path.resolve(outDir, source).startsWith(benchDir)) problems.push(`${file}.map: bundles ${source}`);
    }
  }
}

if (problems.length > 0) {
  console.error("The product Worker bundle contains benchmark code (it belongs in bench/worker.ts only):");
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`Product bundle is free of benchmark code (${files.length} files in ${path.relative(root, outDir)}).`);

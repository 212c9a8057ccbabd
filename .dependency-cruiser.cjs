/**
 * The import rules of the house (docs/architecture.md, "Who may import whom"), checked by
 * `npm run lint:deps` as part of `npm test`. Each rule names the room it protects and why.
 */
const DOMAIN = "^src/(db|scim|services|setup|sso|org-writer|provisioning-log|events|auth|lib)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "An import cycle makes load order matter and hides which module owns what.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "scim-is-pure",
      severity: "error",
      comment: "src/scim is the SCIM protocol as plain functions: no storage, no HTTP, no bindings, nothing outside src/scim.",
      from: { path: "^src/scim/" },
      to: { pathNot: ["^src/scim/", "^node_modules/zod/"] },
    },
    {
      name: "domain-knows-no-http",
      severity: "error",
      comment: "Storage and domain rooms take plain values and return result values; only src/routes speaks HTTP.",
      from: { path: DOMAIN },
      to: { path: ["^src/routes/", "^src/ui/", "^src/app\\.ts$", "^node_modules/hono/"] },
    },
    {
      name: "ui-reads-no-db",
      severity: "error",
      comment: "Pages render what routes hand them; they never query storage themselves.",
      from: { path: "^src/ui/" },
      to: { path: ["^src/db/", "^src/services/", "^src/org-writer/", "^drizzle-orm", "^node_modules/drizzle-orm/"] },
    },
    {
      name: "ui-is-not-a-router",
      severity: "error",
      comment: "Routers live in src/routes; src/ui holds components, pages and their browser assets.",
      from: { path: "^src/ui/" },
      to: { path: ["^src/routes/", "^node_modules/hono/"], pathNot: "^node_modules/hono/dist/(types/)?jsx/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "db-below-services",
      severity: "error",
      comment: "src/db is the bottom of the stack: it may use src/scim types and src/lib, never the rooms that call it.",
      from: { path: "^src/db/" },
      to: { path: ["^src/(services|setup|sso|org-writer|provisioning-log|events|auth)/"] },
    },
    {
      name: "lib-is-a-leaf",
      severity: "error",
      comment: "src/lib holds small helpers with no knowledge of the product.",
      from: { path: "^src/lib/" },
      to: { pathNot: ["^src/lib/", "^node_modules/"] },
    },
    {
      name: "no-bench-or-tests-in-src",
      severity: "error",
      comment: "The production bundle is src/: it never imports the benchmark or tests.",
      from: { path: "^src/" },
      to: { path: ["^bench/", "^test/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
    exclude: { path: "\\.client\\.js$" },
  },
};

/**
 * `npm run bench`: drives the SCIM API of a local `wrangler dev` like an identity provider's initial
 * sync followed by steady-state changes, and measures it against a floor (routes that do the same D1
 * work with no SCIM logic, bench/floor.ts) in interleaved rounds. It runs the bench's own Worker
 * (bench/wrangler.toml: the product app plus the floor), never the product entry.
 *
 * Options: --quick (small sizes, under a minute), --users N, --concurrency N, --docs (also write
 * docs/performance.md and its chart from this run). --latency SPEC, --distances R1,R2,…,
 * --replica-lag-ms N and --no-bookmarks run the simulated topology instead (bench/latency.ts;
 * --samples N sets its samples per operation and setting). --events runs only the
 * events phase (what the outbox costs a write; bench/events.ts), which the full run also includes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startDevServer, ROOT } from "../test/e2e/support/dev-server";
import { BenchClient } from "./client";
import { eventsPhase } from "./events";
import { runLatency } from "./latency";
import { runPool } from "./pool";
import { createProgress } from "./progress";
import {
  latencyChartSvg,
  markdownTable,
  targetMet,
  targetsMarkdown,
  targetsText,
  textTable,
  type ChartPoint,
  type Row,
  type Target,
} from "./report";
import { Samples } from "./stats";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    users: { type: "string" },
    concurrency: { type: "string", default: "8" },
    docs: { type: "boolean", default: false },
    latency: { type: "string" },
    distances: { type: "string" },
    samples: { type: "string" },
    "replica-lag-ms": { type: "string" },
    "no-bookmarks": { type: "boolean", default: false },
    events: { type: "boolean", default: false },
  },
});

const QUICK = args.quick;
const N = Number(args.users ?? (QUICK ? 1_500 : 25_000));
const CONCURRENCY = Number(args.concurrency);
const BIG_GROUP = Math.min(QUICK ? 1_000 : 20_000, N);
const MID_GROUP = Math.min(QUICK ? 200 : 1_000, N);
const SMALL_GROUP = 10;
const GROUPS = QUICK ? 20 : 100;
const LOOKUPS = QUICK ? 100 : 600;
const ROUND = 50;

const progress = createProgress();
/** Wall times of the Bulk phase (step 2b), for the findings. */
let bulkComparison: { singlesMs: number; bulkMs: number; users: number } | undefined;
const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function userBody(i: number, runId: string) {
  const userName = `user${String(i).padStart(6, "0")}.${runId}@bench.example`;
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    externalId: `ext-${runId}-${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i % 997}` },
    displayName: `Bench User ${i}`,
    active: true,
    emails: [{ value: userName, type: "work", primary: true }],
  };
}

/** Runs `count` jobs in rounds, timing each request into `samples`, with the pool's wall time. */
async function timed(samples: Samples, count: number, job: (i: number) => Promise<number>, concurrency = CONCURRENCY) {
  const started = performance.now();
  await runPool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      samples.add(await job(i));
      progress.tick();
    },
  );
  samples.wallMs += performance.now() - started;
}

/**
 * Measures SCIM and floor alternately, round by round, so that machine noise lands on both alike.
 * Returns both sample sets.
 */
async function interleaved(
  label: string,
  total: number,
  scimJob: (i: number) => Promise<number>,
  floorJob: (i: number) => Promise<number>,
) {
  const scim = new Samples();
  const floor = new Samples();
  progress.start(label, total * 2);
  for (let done = 0; done < total; done += ROUND) {
    const n = Math.min(ROUND, total - done);
    await timed(scim, n, (i) => scimJob(done + i));
    await timed(floor, n, (i) => floorJob(done + i));
  }
  progress.stop();
  return { scim, floor };
}

async function main() {
  const started = Date.now();
  log(`Starting wrangler dev (bench/wrangler.toml)…`);
  const server = await startDevServer({ config: "bench/wrangler.toml" });
  const client = new BenchClient(server.baseUrl, server.adminToken);
  const floorOrgClient = new BenchClient(server.baseUrl, server.adminToken);
  try {
    const runId = Date.now().toString(36);
    const org = await client.admin("POST", "/orgs", { name: "Bench" });
    await client.admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
    client.useScimToken((await client.admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "bench" })).token);
    // Floor creates go to their own org, so that the SCIM org holds exactly N users.
    const floorOrg = await client.admin("POST", "/orgs", { name: "Bench floor" });
    await client.admin("PATCH", `/orgs/${floorOrg.id}/scim`, { enabled: true });
    floorOrgClient.useScimToken((await client.admin("POST", `/orgs/${floorOrg.id}/scim/tokens`, { description: "floor" })).token);

    // Warm-up, excluded from every figure.
    progress.start("warm-up", 200);
    await timed(new Samples(), 100, async (i) => (await client.scim("POST", "/Users", userBody(N + 1 + i, `warm${runId}`))).ms);
    await timed(new Samples(), 100, async (i) => (await floorOrgClient.floor("POST", "/users", userBody(i, `warm${runId}`))).ms);
    progress.stop();

    const ids: string[] = new Array(N);
    const userNames: string[] = new Array(N);
    const createScim = async (i: number) => {
      const res = await client.scim("POST", "/Users", userBody(i, runId), [201]);
      ids[i] = res.body.id;
      userNames[i] = res.body.userName;
      return res.ms;
    };
    const createFloor = async (i: number) => (await floorOrgClient.floor("POST", "/users", userBody(i, runId), [201])).ms;

    const lookupRound = async (label: string, population: number) => {
      const pick = (i: number) => userNames[(i * 7919) % population];
      const { scim, floor } = await interleaved(
        label,
        LOOKUPS,
        async (i) => {
          const res = await client.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${pick(i)}"`)}`);
          if (res.body.totalResults !== 1) throw new Error(`lookup of ${pick(i)} found ${res.body.totalResults}`);
          return res.ms;
        },
        async (i) => (await client.floor("GET", `/users?userName=${encodeURIComponent(pick(i))}`)).ms,
      );
      return { scim, floor };
    };

    // 1. The first 1,000 users, then a lookup sample at that size.
    const first = Math.min(1_000, N);
    const createdFirst = await interleaved(`create users 1–${first}`, first, createScim, createFloor);
    const lookupsSmall = await lookupRound(`lookup sample after ${first} users`, first);
    // 2. The rest, then the same lookup sample at full size.
    const createdRest = N > first ? await interleaved(`create users ${first + 1}–${N}`, N - first, (i) => createScim(first + i), (i) => createFloor(first + i)) : undefined;
    const lookupsLarge = await lookupRound(`lookup sample after ${N} users`, N);

    const createFloorAll = mergeSamples(createdFirst.floor, createdRest?.floor);
    const create = ratioRow(`POST /Users (create, ${N} users)`, mergeSamples(createdFirst.scim, createdRest?.scim), createFloorAll, "throughput");
    const lookupLarge = ratioRow(`GET /Users?filter=userName eq (after ${N})`, lookupsLarge.scim, lookupsLarge.floor, "p50");
    rows.push(create);
    rows.push(plainRow("floor: one batch writing the same rows", createFloorAll));
    rows.push(ratioRow(`GET /Users?filter=userName eq (after ${first})`, lookupsSmall.scim, lookupsSmall.floor, "p50"));
    rows.push(lookupLarge);
    rows.push(plainRow(`floor: indexed SELECT by userName (after ${N})`, lookupsLarge.floor));

    // 2b. 1,000 users created by one Bulk request against 1,000 single creates, each into an org of
    // its own (so that the main org holds exactly N users), in this run.
    const BULK_USERS = 1_000;
    const bulkClient = new BenchClient(server.baseUrl, server.adminToken);
    const singlesClient = new BenchClient(server.baseUrl, server.adminToken);
    for (const [name, c] of [["Bench bulk", bulkClient], ["Bench singles", singlesClient]] as const) {
      const o = await client.admin("POST", "/orgs", { name });
      await client.admin("PATCH", `/orgs/${o.id}/scim`, { enabled: true });
      c.useScimToken((await client.admin("POST", `/orgs/${o.id}/scim/tokens`, { description: name })).token);
    }
    const singles = new Samples();
    progress.start(`create ${BULK_USERS} users, one POST /Users each`, BULK_USERS);
    await timed(singles, BULK_USERS, async (i) => (await singlesClient.scim("POST", "/Users", userBody(i, `s${runId}`), [201])).ms);
    progress.stop();
    const bulkOps = Array.from({ length: BULK_USERS }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `u${i}`, data: userBody(i, `b${runId}`) }));
    const bulked = await bulkClient.scim("POST", "/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: bulkOps }, [200]);
    const bulkCreated = (bulked.body.Operations as { status: string }[]).filter((o) => o.status === "201").length;
    if (bulkCreated !== BULK_USERS) throw new Error(`Bulk created ${bulkCreated} of ${BULK_USERS} users`);
    const singlesSummary = singles.summary();
    rows.push({ operation: `${BULK_USERS} users by single POST /Users (${CONCURRENCY} concurrent)`, summary: singlesSummary });
    rows.push({
      operation: `${BULK_USERS} users by one POST /Bulk (count = users, latency = the request)`,
      summary: { count: BULK_USERS, throughput: (BULK_USERS * 1000) / bulked.ms, p50: bulked.ms, p95: bulked.ms, p99: bulked.ms, mean: bulked.ms },
    });
    bulkComparison = { singlesMs: singles.wallMs, bulkMs: bulked.ms, users: BULK_USERS };
    client.serverErrors.push(...bulkClient.serverErrors, ...singlesClient.serverErrors);

    // 3. Groups: one big, one mid, one small, the rest spread thin.
    const groupIds: string[] = [];
    const groupCreate = new Samples();
    progress.start(`create ${GROUPS} groups`, GROUPS);
    await timed(groupCreate, GROUPS, async (i) => {
      const res = await client.scim("POST", "/Groups", { displayName: `Bench group ${i} ${runId}`, members: [] }, [201]);
      groupIds[i] = res.body.id;
      return res.ms;
    });
    progress.stop();
    rows.push(plainRow("POST /Groups (create, empty)", groupCreate));
    const [big, mid, small] = groupIds;

    const addOne = (group: string, userId: string) =>
      client.scim("PATCH", `/Groups/${group}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "add", path: "members", value: [{ value: userId }] }],
      });
    const removeOne = (group: string, userId: string) =>
      client.scim("PATCH", `/Groups/${group}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "remove", path: `members[value eq "${userId}"]` }],
      });

    // Membership, 1 per PATCH: the first members of the big group, all through its org's writer.
    const single = Math.min(QUICK ? 200 : 1_000, BIG_GROUP);
    const serial = new Samples();
    progress.start(`add 1 member per PATCH ×${single} (one group)`, single);
    await timed(serial, single, async (i) => (await addOne(big, ids[i])).ms);
    progress.stop();
    rows.push(plainRow(`PATCH /Groups add 1 member (one group, ${CONCURRENCY} concurrent)`, serial));

    // Membership, 100 per PATCH: the rest of the big group, then the mid and small groups.
    const hundred = new Samples();
    const batches: { group: string; from: number; to: number }[] = [];
    for (let from = single; from < BIG_GROUP; from += 100) batches.push({ group: big, from, to: Math.min(BIG_GROUP, from + 100) });
    for (let from = 0; from < MID_GROUP; from += 100) batches.push({ group: mid, from, to: Math.min(MID_GROUP, from + 100) });
    batches.push({ group: small, from: 0, to: SMALL_GROUP });
    // Spread: every other group gets a different slice of 20 users.
    for (let g = 3; g < GROUPS; g++) batches.push({ group: groupIds[g], from: (g * 20) % Math.max(1, N - 20), to: ((g * 20) % Math.max(1, N - 20)) + 20 });
    progress.start(`add up to 100 members per PATCH ×${batches.length}`, batches.length);
    // Different groups in parallel, one group's batches in order (as an IdP's sync does).
    await timed(hundred, batches.length, async (i) => {
      const b = batches[i];
      const value = ids.slice(b.from, b.to).map((id) => ({ value: id }));
      return (
        await client.scim("PATCH", `/Groups/${b.group}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "add", path: "members", value }],
        })
      ).ms;
    });
    progress.stop();
    rows.push(plainRow("PATCH /Groups add 100 members", hundred));

    // 4. Single-member add and remove on groups of 10, 1,000 and 20,000 members, interleaved.
    const sizes = [
      { size: SMALL_GROUP, group: small },
      { size: MID_GROUP, group: mid },
      { size: BIG_GROUP, group: big },
    ];
    const perSize = sizes.map(() => ({ add: new Samples(), remove: new Samples() }));
    const reps = QUICK ? 40 : 200;
    progress.start("single-member add/remove by group size", reps * sizes.length * 2);
    for (let r = 0; r < reps; r += 10) {
      for (const [k, s] of sizes.entries()) {
        const outsider = ids[N - 1 - ((r + k) % 50)]; // in no measured group
        const t0 = performance.now();
        for (let j = 0; j < 10 && r + j < reps; j++) {
          perSize[k].add.add((await addOne(s.group, outsider)).ms);
          perSize[k].remove.add((await removeOne(s.group, outsider)).ms);
          progress.tick(2);
        }
        perSize[k].add.wallMs += (performance.now() - t0) / 2;
        perSize[k].remove.wallMs += (performance.now() - t0) / 2;
      }
    }
    progress.stop();
    const chart: ChartPoint[] = [];
    for (const [k, s] of sizes.entries()) {
      rows.push(plainRow(`PATCH add 1 member, group of ${s.size}`, perSize[k].add));
      rows.push(plainRow(`PATCH remove 1 member, group of ${s.size}`, perSize[k].remove));
      const sm = perSize[k].add.summary();
      chart.push({ groupSize: s.size, p50: sm.p50, p95: sm.p95, p99: sm.p99 });
    }

    // 5. Reads: pages, a deep page, group lists with and without members, incremental reads.
    // Reads whose answer is megabytes (every member of the page's groups) run one at a time, as a
    // client diffing members does; the rest at the run's concurrency.
    const reads: [string, string, number, number][] = [
      ["GET /Users page (count=100)", "/Users?startIndex=1&count=100", 40, CONCURRENCY],
      [`GET /Users deep page (startIndex=${N - 100})`, `/Users?startIndex=${N - 100}&count=100`, 40, CONCURRENCY],
      ["GET /Groups page, excludedAttributes=members", "/Groups?startIndex=1&count=100&excludedAttributes=members", 40, CONCURRENCY],
      ["GET /Groups page with members (one at a time)", "/Groups?startIndex=1&count=100", QUICK ? 5 : 10, 1],
      [`GET /Groups/{id} (${BIG_GROUP} members, one at a time)`, `/Groups/${big}`, QUICK ? 5 : 10, 1],
    ];
    const since = new Date(Date.now() - 60_000).toISOString();
    reads.push(["GET /Users?filter=meta.lastModified gt (incremental)", `/Users?filter=${encodeURIComponent(`meta.lastModified gt "${since}"`)}&count=100`, 40, CONCURRENCY]);
    for (const [label, url, count, concurrency] of reads) {
      const s = new Samples();
      progress.start(label, count);
      await timed(s, count, async () => (await client.scim("GET", url)).ms, concurrency);
      progress.stop();
      rows.push(plainRow(label, s));
    }

    // 6. User updates, deactivation, deletion.
    const updates = QUICK ? 60 : 500;
    const put = new Samples();
    progress.start("PUT /Users/{id}", updates);
    await timed(put, updates, async (i) => {
      const body = { ...userBody(i, runId), displayName: `Renamed ${i}` };
      return (await client.scim("PUT", `/Users/${ids[i]}`, body)).ms;
    });
    progress.stop();
    rows.push(plainRow("PUT /Users/{id} (replace)", put));
    const patch = new Samples();
    progress.start("PATCH /Users/{id}", updates);
    await timed(patch, updates, async (i) =>
      (
        await client.scim("PATCH", `/Users/${ids[i]}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "name.givenName", value: `Patched${i}` }],
        })
      ).ms,
    );
    progress.stop();
    rows.push(plainRow("PATCH /Users/{id} (replace name.givenName)", patch));
    const deactivate = new Samples();
    progress.start("deactivate", updates);
    await timed(deactivate, updates, async (i) =>
      (
        await client.scim("PATCH", `/Users/${ids[updates + i]}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "active", value: false }],
        })
      ).ms,
    );
    progress.stop();
    rows.push(plainRow("PATCH /Users/{id} active=false (deactivate)", deactivate));
    // Delete users from the middle of the range: some are members of spread groups.
    const deletions = QUICK ? 60 : 500;
    const deleteFrom = Math.floor(N / 2);
    const del = new Samples();
    progress.start("DELETE /Users/{id}", deletions);
    await timed(del, deletions, async (i) => (await client.scim("DELETE", `/Users/${ids[deleteFrom + i]}`, undefined, [204])).ms);
    progress.stop();
    rows.push(plainRow("DELETE /Users/{id}", del));

    // 7. Concurrent writes against one org, group commit on and off (their own two orgs).
    const writes = await concurrentWritesPhase(server.baseUrl, server.adminToken, runId);
    // 7b. The same writes with the outbox on and off (their own two orgs).
    const events = await eventsPhase(server.baseUrl, server.adminToken, runId, { quick: QUICK, concurrency: CONCURRENCY, progress });

    // 8. Final state, checked.
    const total = (await client.scim("GET", "/Users?count=0")).body.totalResults;
    const expectedUsers = N + 100 - deletions; // + the warm-up users
    const bigCount = await memberCount(client, big);
    const deletedInBig = ids.slice(deleteFrom, deleteFrom + deletions).filter((_, i) => deleteFrom + i < BIG_GROUP).length;
    const checks = [
      { what: "users in the org", expected: expectedUsers, actual: total },
      { what: `members of the big group`, expected: BIG_GROUP - deletedInBig, actual: bigCount },
      { what: "members of the mid group", expected: MID_GROUP - ids.slice(deleteFrom, deleteFrom + deletions).filter((_, i) => deleteFrom + i < MID_GROUP).length, actual: await memberCount(client, mid) },
      { what: "members of the small group", expected: SMALL_GROUP, actual: await memberCount(client, small) },
      ...writes.checks,
    ];

    // Targets.
    const p50 = (k: number) => perSize[k].add.summary().p50;
    const targets: Target[] = [
      { name: "user create throughput vs floor", measured: create.ratio!, limit: 0.7, kind: "min" },
      { name: "filter lookup p50 vs floor indexed read", measured: lookupLarge.ratio!, limit: 1.43, kind: "max" },
      { name: `1-member PATCH p50, ${BIG_GROUP} vs ${SMALL_GROUP} members`, measured: p50(2) / p50(0), limit: 1.3, kind: "max" },
      { name: `lookup p50 after ${N} vs after ${first} users`, measured: lookupsLarge.scim.summary().p50 / lookupsSmall.scim.summary().p50, limit: 1.3, kind: "max" },
      { name: "5xx responses in the run", measured: client.serverErrors.length + floorOrgClient.serverErrors.length, limit: 0, kind: "max" },
      ...writes.targets,
      ...events.targets,
      { name: "5xx responses in the events phase", measured: events.serverErrors.length, limit: 0, kind: "max" },
    ];
    rows.push(...writes.rows, ...events.rows);
    const loadAverage = os.loadavg().map((l) => l.toFixed(2)).join(", ");

    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    const checkLines = checks.map((c) => `${c.actual === c.expected ? "ok    " : "WRONG "} ${c.what}: ${c.actual} (expected ${c.expected})`);
    const summary = [
      `edge-scim benchmark — ${N} users, ${GROUPS} groups, concurrency ${CONCURRENCY}${QUICK ? " (quick)" : ""}, ${minutes} min`,
      "",
      textTable(rows),
      "",
      "Targets:",
      targetsText(targets),
      "",
      "Final state:",
      ...checkLines,
      ...client.serverErrors.slice(0, 10).map((e) => `5xx: ${e}`),
      ...writes.serverErrors.slice(0, 10).map((e) => `5xx: ${e}`),
      "",
      `Load average at the end (1, 5, 15 min): ${loadAverage} on ${os.cpus().length} CPUs`,
    ].join("\n");
    console.log(summary);

    const outDir = path.join(ROOT, "bench/results");
    mkdirSync(outDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
    const json = { date: new Date().toISOString(), loadAverage: os.loadavg(), quick: QUICK, users: N, groups: GROUPS, concurrency: CONCURRENCY, machine, rows, targets: targets.map((t) => ({ ...t, met: targetMet(t) })), checks, statuses: Object.fromEntries(client.statuses), serverErrors: client.serverErrors };
    const svg = latencyChartSvg(chart, "Single-member PATCH latency by group size", { groupSize: single, concurrency: CONCURRENCY, ...serial.summary() });
    const md = markdown({ N, QUICK, minutes, machine: `${machine}; load average ${loadAverage} at the end of the run`, targets, checkLines, chartFile: "patch-latency.svg" });
    writeFileSync(path.join(outDir, `${stamp}.json`), JSON.stringify(json, null, 2));
    writeFileSync(path.join(outDir, `${stamp}.md`), md);
    writeFileSync(path.join(outDir, "patch-latency.svg"), svg);
    log(`\nResults: bench/results/${stamp}.{json,md}`);
    if (args.docs) {
      mkdirSync(path.join(ROOT, "docs"), { recursive: true });
      // Only the run's own section is replaced: the admin's summary before it (written by hand from the
      // figures) and what follows it (the concurrent-writes phase, "Latency by distance" from a --latency
      // run, bench/distance.ts) are kept as they are.
      const docPath = path.join(ROOT, "docs/performance.md");
      const previous = existsSync(docPath) ? readFileSync(docPath, "utf8") : "";
      const start = previous.indexOf(`\n${RUN_HEADING}`);
      const intro = start >= 0 ? previous.slice(0, start + 1) : "# Performance\n\n";
      const ends = ["\n## Concurrent writes against one organization", "\n## Latency by distance"].map((m) => previous.indexOf(m)).filter((i) => i > start);
      const kept = ends.length > 0 ? Math.min(...ends) : -1;
      writeFileSync(docPath, `${intro}${md.trimEnd()}\n${kept >= 0 ? previous.slice(kept) : ""}`);
      writeFileSync(path.join(ROOT, "docs/patch-latency.svg"), svg);
      log("Wrote docs/performance.md and docs/patch-latency.svg");
    }
    if (checks.some((c) => c.actual !== c.expected)) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

/**
 * The concurrent-writes phase: an identity provider's burst against one organization at the run's
 * concurrency — deletions, member PATCHes of small groups, user PUT and PATCH — and 50 concurrent
 * PATCHes of one user, measured on two fresh organizations set up alike, one with the OrgWriter's
 * group commit on and one with it off (bench/worker.ts), sub-phase by sub-phase alternately.
 */
interface WriteFigures {
  create: Samples;
  deletes: Samples;
  smallPatch: Samples;
  put: Samples;
  patch: Samples;
  contended: Samples;
  contendedOk: number;
  contendedChangesPresent: boolean;
}

async function concurrentWritesPhase(baseUrl: string, adminToken: string, runId: string) {
  const USERS = QUICK ? 400 : 2_000;
  const SMALL = QUICK ? 40 : 100;
  const OPS = QUICK ? 120 : 500;
  const CONTENDED = 50;
  const modes = [
    { on: true, client: new BenchClient(baseUrl, adminToken) },
    { on: false, client: new BenchClient(baseUrl, adminToken) },
  ];
  const figures = new Map<boolean, WriteFigures>();
  const state = new Map<boolean, { ids: string[]; groups: string[]; members: string[][] }>();
  for (const { on, client } of modes) {
    const org = await client.admin("POST", "/orgs", { name: `Bench writes ${on ? "on" : "off"}` });
    await client.admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
    client.useScimToken((await client.admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "writes" })).token);
    await client.floor("POST", "/writer/group-commit", { on });
    figures.set(on, {
      create: new Samples(), deletes: new Samples(), smallPatch: new Samples(), put: new Samples(), patch: new Samples(),
      contended: new Samples(), contendedOk: 0, contendedChangesPresent: false,
    });
    state.set(on, { ids: [], groups: [], members: [] });
  }
  const tag = (on: boolean) => `group commit ${on ? "on" : "off"}`;

  // Set-up, measured too: POST /Users throughput is the machine's ceiling for a write.
  for (const { on, client } of modes) {
    const s = state.get(on)!;
    progress.start(`writes (${tag(on)}): create ${USERS} users, ${SMALL} groups of ${SMALL_GROUP}`, USERS + SMALL);
    await timed(figures.get(on)!.create, USERS, async (i) => {
      const res = await client.scim("POST", "/Users", userBody(i, `w${on ? 1 : 0}${runId}`), [201]);
      s.ids[i] = res.body.id;
      return res.ms;
    });
    // Small groups over the first users; the deleted users come from the end of the range.
    await timed(new Samples(), SMALL, async (g) => {
      const members = s.ids.slice(g * SMALL_GROUP, (g + 1) * SMALL_GROUP);
      const res = await client.scim("POST", "/Groups", { displayName: `Small ${g} ${runId}`, members: members.map((value) => ({ value })) }, [201]);
      s.groups[g] = res.body.id;
      s.members[g] = members;
      return res.ms;
    });
    progress.stop();
  }

  const alternately = async (label: string, count: number, job: (on: boolean, client: BenchClient, i: number) => Promise<number>, pick: (f: WriteFigures) => Samples) => {
    for (const { on, client } of modes) {
      progress.start(`writes (${tag(on)}): ${label}`, count);
      await timed(pick(figures.get(on)!), count, (i) => job(on, client, i));
      progress.stop();
    }
  };
  const patchOp = (...Operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

  // Deletions of users that are members of small groups (each group they leave gains a version).
  await alternately(`DELETE /Users ×${OPS}`, OPS, async (on, client, i) => {
    const s = state.get(on)!;
    return (await client.scim("DELETE", `/Users/${s.ids[i]}`, undefined, [204])).ms;
  }, (f) => f.deletes);
  // Member PATCHes of small groups: add a user from outside the groups, spread over the groups.
  await alternately(`PATCH small group add 1 member ×${OPS}`, OPS, async (on, client, i) => {
    const s = state.get(on)!;
    const group = s.groups[i % SMALL];
    const user = s.ids[USERS - 1 - i];
    return (await client.scim("PATCH", `/Groups/${group}`, patchOp({ op: "add", path: "members", value: [{ value: user }] }))).ms;
  }, (f) => f.smallPatch);
  await alternately(`PUT /Users ×${OPS}`, OPS, async (on, client, i) => {
    const s = state.get(on)!;
    const k = OPS + i;
    return (await client.scim("PUT", `/Users/${s.ids[k]}`, { ...userBody(k, `w${on ? 1 : 0}${runId}`), displayName: `Put ${k}` })).ms;
  }, (f) => f.put);
  await alternately(`PATCH /Users ×${OPS}`, OPS, async (on, client, i) => {
    const s = state.get(on)!;
    return (await client.scim("PATCH", `/Users/${s.ids[OPS + i]}`, patchOp({ op: "replace", path: "title", value: `Title ${i}` }))).ms;
  }, (f) => f.patch);

  // 50 concurrent PATCHes of one user, each adding its own email.
  for (const { on, client } of modes) {
    const f = figures.get(on)!;
    const target = state.get(on)!.ids[USERS - 1];
    progress.start(`writes (${tag(on)}): ${CONTENDED} concurrent PATCHes of one user`, CONTENDED);
    await timed(f.contended, CONTENDED, async (i) => {
      const res = await client.scim("PATCH", `/Users/${target}`, patchOp({ op: "add", path: "emails", value: [{ value: `c${i}@bench.example`, type: `c${i}` }] }), [200, 503]);
      if (res.status === 200) f.contendedOk++;
      return res.ms;
    }, CONTENDED);
    progress.stop();
    const emails: string[] = ((await client.scim("GET", `/Users/${target}`)).body.emails ?? []).map((e: { value: string }) => e.value);
    f.contendedChangesPresent = Array.from({ length: CONTENDED }, (_, i) => `c${i}@bench.example`).every((e) => emails.includes(e));
  }

  const on = figures.get(true)!;
  const off = figures.get(false)!;
  const phaseRows: Row[] = [];
  for (const [label, pick] of [
    ["POST /Users", (f: WriteFigures) => f.create],
    ["DELETE /Users/{id}", (f: WriteFigures) => f.deletes],
    [`PATCH /Groups add 1 member, groups of ${SMALL_GROUP}`, (f: WriteFigures) => f.smallPatch],
    ["PUT /Users/{id}", (f: WriteFigures) => f.put],
    ["PATCH /Users/{id}", (f: WriteFigures) => f.patch],
    [`PATCH one user, ${CONTENDED} concurrent`, (f: WriteFigures) => f.contended],
  ] as const) {
    for (const [mode, f] of [["on", on], ["off", off]] as const) {
      phaseRows.push({ operation: `writes, group commit ${mode}: ${label}`, summary: pick(f).summary() });
    }
  }
  const s = (x: Samples) => x.summary();
  const serverErrors = modes.reduce((n, m) => n + m.client.serverErrors.length, 0);
  const phaseTargets: Target[] = [
    { name: "DELETE /Users throughput, group commit on vs off", measured: s(on.deletes).throughput / s(off.deletes).throughput, limit: 3, kind: "min" },
    { name: "DELETE /Users throughput (on) vs POST /Users throughput (on)", measured: s(on.deletes).throughput / s(on.create).throughput, limit: 0.75, kind: "min" },
    { name: `small-group member PATCH p50, on vs off`, measured: s(on.smallPatch).p50 / s(off.smallPatch).p50, limit: 0.5, kind: "max" },
    { name: `${CONTENDED} concurrent PATCHes of one user: 2xx (group commit on)`, measured: on.contendedOk, limit: CONTENDED, kind: "min" },
    { name: "5xx responses in the concurrent-writes phase", measured: serverErrors, limit: 0, kind: "max" },
  ];
  const checks = modes.map(({ on }) => ({
    what: `every change of the ${CONTENDED} concurrent PATCHes present (${tag(on)})`,
    expected: 1,
    actual: figures.get(on)!.contendedChangesPresent ? 1 : 0,
  }));
  return { rows: phaseRows, targets: phaseTargets, checks, serverErrors: modes.flatMap((m) => m.client.serverErrors) };
}

/** The heading of the run's own section of docs/performance.md, which `--docs` replaces. */
const RUN_HEADING = "## One benchmark run (the figures behind the summary)";

function markdown(o: { N: number; QUICK: boolean; minutes: string; machine: string; targets: Target[]; checkLines: string[]; chartFile: string }) {
  return [
    RUN_HEADING,
    "",
    `One run of \`npm run bench${o.QUICK ? " -- --quick" : ""}\` on ${new Date().toISOString().slice(0, 10)}: ${o.N} users, ${GROUPS} groups, ${CONCURRENCY} concurrent requests, ${o.minutes} minutes.`,
    "",
    `Machine: ${o.machine}.`,
    "",
    "These figures come from `wrangler dev`: local workerd with SQLite-backed D1, KV and Durable Objects on",
    "one machine, driven over loopback HTTP by a separate Node process. They show how the service scales with",
    "organization and group size and what the SCIM layer costs over the bare D1 work (the floor); they are",
    "not edge latencies, which add network round trips to Cloudflare and to the D1 primary.",
    "",
    "The floor routes (`bench/floor.ts`, mounted only by the bench's own Worker) authenticate like SCIM and do",
    "the same D1 work with no SCIM logic: one batch writing the same rows for a create, one indexed SELECT on the",
    "unique key (and the COUNT the SCIM list also runs) for a lookup. Floor and SCIM run in alternating rounds",
    "after a warm-up.",
    "",
    markdownTable(rows),
    "",
    "### What the figures show",
    "",
    ...findings(),
    "",
    "### Targets",
    "",
    targetsMarkdown(o.targets),
    "",
    "### Final state",
    "",
    "```",
    ...o.checkLines,
    "```",
    "",
    `![Single-member PATCH latency by group size: p50, p95 and p99 one at a time on groups of ${SMALL_GROUP.toLocaleString("en-US")}, ${MID_GROUP.toLocaleString("en-US")} and ${BIG_GROUP.toLocaleString("en-US")} members, and ${CONCURRENCY} at once on one group](${o.chartFile})`,
    "",
  ].join("\n");
}

/** Plain-words findings from this run's rows, for docs/performance.md. */
function findings(): string[] {
  const find = (prefix: string) => rows.find((r) => r.operation.startsWith(prefix))?.summary;
  const ms = (v: number | undefined) => (v === undefined ? "–" : `${v.toFixed(0)} ms`);
  const serial = find("PATCH /Groups add 1 member (one group");
  const firstPage = find("GET /Users page");
  const deepPage = find("GET /Users deep page");
  const bigGroup = find("GET /Groups/{id}");
  const bulk = bulkComparison;
  return [
    ...(bulk
      ? [
          `- Creating ${bulk.users.toLocaleString("en-US")} users took ${ms(bulk.bulkMs)} as one Bulk request and ${ms(bulk.singlesMs)} as ${bulk.users.toLocaleString("en-US")} single POSTs at ${CONCURRENCY} concurrent (${(bulk.singlesMs / bulk.bulkMs).toFixed(1)}× the time): a Bulk request plans all its operations in the organization's OrgWriter and writes them as one batch of a few dozen statements.`,
        ]
      : []),
    `- Membership writes to one group all go through its organization's OrgWriter, one at a time: ${serial ? serial.throughput.toFixed(0) : "–"} single-member PATCHes per second with ${CONCURRENCY} concurrent clients (Microsoft Entra ID expects at least 25 requests per second per tenant).`,
    `- A single-member add or remove costs the same on a ${BIG_GROUP.toLocaleString("en-US")}-member group as on a ${SMALL_GROUP}-member one (chart below): it touches only the affected row and the group's counter.`,
    `- Paging is an index walk: the last page of ${N.toLocaleString("en-US")} users (p50 ${ms(deepPage?.p50)}) costs about what the first one does (p50 ${ms(firstPage?.p50)}); rows skipped by \`startIndex\` are never read.`,
    `- Reads that return every member of a ${BIG_GROUP.toLocaleString("en-US")}-member group (p50 ${ms(bigGroup?.p50)}, several MB of JSON) are bound by the size of their answer; they stream with bounded memory.`,
  ];
}

function mergeSamples(a: Samples, b?: Samples): Samples {
  if (!b) return a;
  const out = new Samples();
  for (const v of [...a.latencies, ...b.latencies]) out.add(v);
  out.wallMs = a.wallMs + b.wallMs;
  return out;
}

function plainRow(operation: string, samples: Samples): Row {
  return { operation, summary: samples.summary() };
}

function ratioRow(operation: string, scim: Samples, floor: Samples, of: "p50" | "throughput"): Row {
  const s = scim.summary();
  const f = floor.summary();
  return { operation, summary: s, ratio: of === "p50" ? s.p50 / f.p50 : s.throughput / f.throughput, ratioOf: of };
}

async function memberCount(client: BenchClient, groupId: string): Promise<number> {
  const res = await client.scim("GET", `/Groups/${groupId}?attributes=members`);
  return (res.body.members ?? []).length;
}

/** --events: only the events phase, its rows and targets printed (and kept in bench/results). */
async function eventsOnly() {
  const server = await startDevServer({ config: "bench/wrangler.toml" });
  try {
    const started = Date.now();
    const result = await eventsPhase(server.baseUrl, server.adminToken, Date.now().toString(36), { quick: QUICK, concurrency: CONCURRENCY, progress });
    rows.push(...result.rows);
    const targets: Target[] = [...result.targets, { name: "5xx responses", measured: result.serverErrors.length, limit: 0, kind: "max" }];
    const loadAverage = os.loadavg().map((l) => l.toFixed(2)).join(", ");
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    console.log(
      [`edge-scim events bench — concurrency ${CONCURRENCY}${QUICK ? " (quick)" : ""}, ${minutes} min`, "", textTable(rows), "", "Targets:", targetsText(targets), "",
        ...result.serverErrors.slice(0, 10).map((e) => `5xx: ${e}`),
        `Load average at the end (1, 5, 15 min): ${loadAverage} on ${os.cpus().length} CPUs`].join("\n"),
    );
    const outDir = path.join(ROOT, "bench/results");
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `events-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), loadAverage: os.loadavg(), quick: QUICK, concurrency: CONCURRENCY, rows, targets: targets.map((t) => ({ ...t, met: targetMet(t) })) }, null, 2));
    log(`Results: ${path.relative(ROOT, file)}`);
  } finally {
    await server.stop();
  }
}

// --latency / --distances / --replica-lag-ms: the simulated topology (bench/latency.ts) instead of the throughput run.
const topologyRun = args.latency !== undefined || args.distances !== undefined || args["replica-lag-ms"] !== undefined;
(topologyRun
  ? runLatency({
      latency: args.latency,
      distances: args.distances,
      samples: args.samples === undefined ? undefined : Number(args.samples),
      lagMs: args["replica-lag-ms"] === undefined ? undefined : Number(args["replica-lag-ms"]),
      noBookmarks: args["no-bookmarks"],
      quick: QUICK,
    })
  : args.events
    ? eventsOnly()
    : main()
).catch((err) => {
  if (rows.length) console.error(`Measured before the failure:\n${textTable(rows)}\n`);
  console.error(err);
  process.exit(1);
});

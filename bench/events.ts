/**
 * What directory events cost a write (issue 14: write p50 with events on ≤ 1.15× with events off).
 * Two organizations of the same shape, one with its outbox switched off (bench/worker.ts
 * `/bench-floor/writer/events`), take the same writes in alternating rounds, so machine noise lands on
 * both alike: POST /Users, PATCH /Users, a 1-member PATCH of a small group, DELETE /Users (each user
 * in two groups, so a delete emits three events).
 */
import { BenchClient } from "./client";
import { runPool } from "./pool";
import type { Row, Target } from "./report";
import { Samples } from "./stats";

interface Progress {
  start(label: string, total: number): void;
  tick(): void;
  stop(): void;
}

const patchOp = (...Operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

function user(i: number, tag: string) {
  const userName = `ev${i}.${tag}@bench.example`;
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    displayName: `Events ${i}`,
    active: true,
    emails: [{ value: userName, type: "work", primary: true }],
  };
}

export async function eventsPhase(
  baseUrl: string,
  adminToken: string,
  runId: string,
  o: { quick: boolean; concurrency: number; progress: Progress },
): Promise<{ rows: Row[]; targets: Target[]; serverErrors: string[] }> {
  const OPS = o.quick ? 200 : 600;
  const ROUND = 25;
  const GROUPS = 20;
  const modes = [
    { on: true, client: new BenchClient(baseUrl, adminToken), ids: [] as string[], groups: [] as string[] },
    { on: false, client: new BenchClient(baseUrl, adminToken), ids: [] as string[], groups: [] as string[] },
  ];
  for (const m of modes) {
    const org = await m.client.admin("POST", "/orgs", { name: `Bench events ${m.on ? "on" : "off"}` });
    await m.client.admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
    m.client.useScimToken((await m.client.admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "events" })).token);
    await m.client.floor("POST", "/writer/events", { on: m.on });
    for (let g = 0; g < GROUPS; g++) {
      m.groups.push((await m.client.scim("POST", "/Groups", { displayName: `Events ${g} ${runId}` }, [201])).body.id);
    }
  }
  const samples = new Map<string, Map<boolean, Samples>>();
  const kinds = ["POST /Users", "PATCH /Users/{id}", "PATCH /Groups add 1 member", "DELETE /Users/{id} (in 2 groups)"];
  for (const k of kinds) samples.set(k, new Map(modes.map((m) => [m.on, new Samples()])));

  /** `count` jobs of one kind, ROUND at a time per mode, alternating modes. */
  const alternate = async (kind: string, count: number, job: (m: (typeof modes)[number], i: number) => Promise<number>) => {
    o.progress.start(`events on/off: ${kind} ×${count}`, count * 2);
    for (let done = 0; done < count; done += ROUND) {
      const n = Math.min(ROUND, count - done);
      for (const m of done % (2 * ROUND) === 0 ? modes : [...modes].reverse()) {
        const s = samples.get(kind)!.get(m.on)!;
        const started = performance.now();
        await runPool(
          Array.from({ length: n }, (_, i) => done + i),
          o.concurrency,
          async (i) => {
            s.add(await job(m, i));
            o.progress.tick();
          },
        );
        s.wallMs += performance.now() - started;
      }
    }
    o.progress.stop();
  };

  await alternate("POST /Users", OPS, async (m, i) => {
    const res = await m.client.scim("POST", "/Users", user(i, `${m.on ? 1 : 0}${runId}`), [201]);
    m.ids[i] = res.body.id;
    return res.ms;
  });
  // Two memberships per user, so that deleting one emits user.deleted and two group.user_removed.
  await alternate("PATCH /Groups add 1 member", OPS, async (m, i) => {
    return (await m.client.scim("PATCH", `/Groups/${m.groups[i % GROUPS]}`, patchOp({ op: "add", path: "members", value: [{ value: m.ids[i] }] }))).ms;
  });
  for (const m of modes) {
    await runPool(
      Array.from({ length: OPS }, (_, i) => i),
      o.concurrency,
      async (i) => void (await m.client.scim("PATCH", `/Groups/${m.groups[(i + 1) % GROUPS]}`, patchOp({ op: "add", path: "members", value: [{ value: m.ids[i] }] }))),
    );
  }
  await alternate("PATCH /Users/{id}", OPS, async (m, i) => {
    return (await m.client.scim("PATCH", `/Users/${m.ids[i]}`, patchOp({ op: "replace", path: "title", value: `Title ${i}` }))).ms;
  });
  await alternate("DELETE /Users/{id} (in 2 groups)", OPS, async (m, i) => {
    return (await m.client.scim("DELETE", `/Users/${m.ids[i]}`, undefined, [204])).ms;
  });

  const rows: Row[] = [];
  const targets: Target[] = [];
  const pooled = new Map(modes.map((m) => [m.on, new Samples()]));
  for (const kind of kinds) {
    for (const m of modes) {
      const s = samples.get(kind)!.get(m.on)!;
      rows.push({ operation: `events ${m.on ? "on" : "off"}: ${kind}`, summary: s.summary() });
      for (const v of s.latencies) pooled.get(m.on)!.add(v);
    }
    const ratio = samples.get(kind)!.get(true)!.summary().p50 / samples.get(kind)!.get(false)!.summary().p50;
    targets.push({ name: `${kind} p50, events on vs off`, measured: ratio, limit: 1.15, kind: "max" });
  }
  targets.unshift({
    name: "write p50 (the four writes pooled), events on vs off",
    measured: pooled.get(true)!.summary().p50 / pooled.get(false)!.summary().p50,
    limit: 1.15,
    kind: "max",
  });
  return { rows, targets, serverErrors: modes.flatMap((m) => m.client.serverErrors) };
}

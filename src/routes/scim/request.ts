/** What the SCIM resource routes read from a request: the org scope and query parameters. */
import type { Context } from "hono";
import { orgWriter } from "../../org-writer/client";
import type { WriteResult } from "../../org-writer/result";
import type { OrgWriter } from "../../org-writer/writer";
import type { CursorMac } from "../../scim/cursor";
import { cursorMac } from "../../services/cursor-mac";
import type { ParamSource } from "../../scim/list-request";
import { getIgnoringCase } from "../../scim/values";
import type { OrgScope } from "../../services/scope";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";

type Ctx = Context<AppEnv>;

export function orgScope(c: Ctx): OrgScope {
  const { db, orgId, clock } = c.var;
  const reads = c.var.reads ?? { db };
  return {
    db,
    reads: reads.db,
    confirmAbsent: reads.confirmAbsent,
    orgId,
    now: clock,
    baseUrl: scimBaseUrl(c),
    events: c.var.eventsFor?.(orgId) ?? true,
    writer: () => keepingBookmark(c, orgWriter(c.env, orgId)),
  };
}

/** The writer's stub, noting the bookmark each write returns (read-replicas stores it after the request). */
function keepingBookmark(c: Ctx, stub: DurableObjectStub<OrgWriter>): DurableObjectStub<OrgWriter> {
  if (!c.var.replication) return stub;
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof prop !== "string" || !WRITES.has(prop) || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const result = (await (value as (...a: unknown[]) => Promise<WriteResult<unknown>>)(...args)) as WriteResult<unknown>;
        if (result.ok && result.bookmark) c.set("writerBookmark", result.bookmark);
        return result;
      };
    },
  });
}

const WRITES = new Set(["createGroup", "replaceGroup", "patchGroup", "deleteGroup", "deleteUser"]);

/** Query parameters by name, case-insensitively (clients disagree on `startIndex` vs `startindex`). */
export function queryParams(c: Ctx): ParamSource {
  const query = c.req.query();
  return (name) => getIgnoringCase(query, name);
}

/** A SearchRequest body's parameters by name, case-insensitively. */
export function bodyParams(body: Record<string, unknown>): ParamSource {
  return (name) => getIgnoringCase(body, name);
}

/** What signs RFC 9865 cursors on this deployment; undefined without a CURSOR_SECRET. */
export function cursorSigner(c: Ctx): CursorMac | undefined {
  return cursorMac(c.env.CURSOR_SECRET);
}

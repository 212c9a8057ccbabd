/** What the SCIM resource routes read from a request: the org scope and query parameters. */
import type { Context } from "hono";
import { orgWriter } from "../../org-writer/client";
import type { CursorMac } from "../../scim/cursor";
import { cursorMac } from "../../services/cursor-mac";
import type { ParamSource } from "../../scim/list-request";
import { getIgnoringCase } from "../../scim/values";
import type { OrgScope } from "../../services/scope";
import type { AppEnv } from "../context";

type Ctx = Context<AppEnv>;

export function orgScope(c: Ctx): OrgScope {
  const { db, orgId, clock } = c.var;
  return { db, orgId, now: clock, writer: () => orgWriter(c.env, orgId) };
}

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

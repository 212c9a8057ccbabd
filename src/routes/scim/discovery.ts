/** Discovery endpoints; they answer with or without a token (clients read them before configuring). */
import { Hono } from "hono";
import * as discovery from "../../scim/discovery";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";
import { cursorMac } from "../../services/cursor-mac";
import { scimBaseUrl } from "../origin";
import { methodNotAllowed, scimJson } from "./responses";

const readOnly = methodNotAllowed(["GET"]);

function found<T>(doc: T | undefined, what: string): T {
  if (doc === undefined) throw ScimError.notFound(`${what} not found`);
  return doc;
}

export const discoveryRoutes = new Hono<AppEnv>()
  .get("/ServiceProviderConfig", (c) =>
    scimJson(c, discovery.serviceProviderConfig(scimBaseUrl(c), { cursorPaging: cursorMac(c.env.CURSOR_SECRET) !== undefined })),
  )
  .all("/ServiceProviderConfig", readOnly)
  .get("/ResourceTypes", (c) => scimJson(c, discovery.resourceTypes(scimBaseUrl(c))))
  .all("/ResourceTypes", readOnly)
  .get("/ResourceTypes/:id", (c) =>
    scimJson(c, found(discovery.resourceType(scimBaseUrl(c), c.req.param("id")), "Resource type")),
  )
  .all("/ResourceTypes/:id", readOnly)
  .get("/Schemas", (c) => scimJson(c, discovery.schemas(scimBaseUrl(c))))
  .all("/Schemas", readOnly)
  .get("/Schemas/:id", (c) => scimJson(c, found(discovery.schema(scimBaseUrl(c), c.req.param("id")), "Schema")))
  .all("/Schemas/:id", readOnly);

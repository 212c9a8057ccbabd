/** The registry of published schemas and resource types: discovery documents are rendered from it. */
import { ENTERPRISE_USER_SCHEMA_URN, enterpriseUserSchema } from "./enterprise-user";
import { GROUP_SCHEMA_URN, groupSchema } from "./group";
import type { ResourceSchema } from "./resource";
import type { ResourceTypeDef, SchemaDef } from "./types";
import { USER_SCHEMA_URN, userSchema } from "./user";

export * from "./types";
export { commonAttributes } from "./common";
export type { ResourceSchema } from "./resource";
export { ENTERPRISE_USER_SCHEMA_URN, GROUP_SCHEMA_URN, USER_SCHEMA_URN, enterpriseUserSchema, groupSchema, userSchema };

export const USER_RESOURCE: ResourceSchema = { name: "User", core: userSchema, extensions: [enterpriseUserSchema] };

export const GROUP_RESOURCE: ResourceSchema = { name: "Group", core: groupSchema, extensions: [] };

export const SCHEMAS: SchemaDef[] = [userSchema, enterpriseUserSchema, groupSchema];

export const RESOURCE_TYPES: ResourceTypeDef[] = [
  {
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "User Account",
    schema: USER_SCHEMA_URN,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA_URN, required: false }],
  },
  {
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: "Group",
    schema: GROUP_SCHEMA_URN,
    schemaExtensions: [],
  },
];

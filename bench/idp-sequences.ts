/**
 * Identity providers' request sequences, condensed from test/idp/ (docs/idp-dialects.md): each one
 * writes and then reads what it wrote, the way that provider does. Run against a lagging replica
 * (`npm run bench -- --replica-lag-ms N`), every read that misses the caller's own earlier write is a
 * violation of read-your-writes.
 */
import type { BenchClient } from "./client";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** Records one read that must reflect the caller's earlier writes. */
export type Check = (label: string, ok: boolean) => void;

/**
 * `later()` lets the replica catch up (waits longer than its lag): what was provisioned earlier is on
 * the replica, and the change that follows is what a read must not miss. (A resource written moments
 * before is absent on a lagging replica, and absent answers are confirmed on the primary anyway.)
 */
type Sequence = (client: BenchClient, tag: string, check: Check, later: () => Promise<void>) => Promise<void>;

const byUserName = (u: string) => `/Users?filter=${encodeURIComponent(`userName eq "${u}"`)}`;
const byExternalId = (e: string) => `/Users?filter=${encodeURIComponent(`externalId eq "${e}"`)}`;
const any = [200, 201, 204, 404];

async function createUser(client: BenchClient, body: Record<string, unknown>): Promise<string> {
  return (await client.scim("POST", "/Users", { schemas: [CORE], ...body }, [201])).body.id;
}

async function members(client: BenchClient, groupId: string): Promise<string[]> {
  const res = await client.scim("GET", `/Groups/${groupId}`, undefined, any);
  return res.status === 200 ? (res.body.members ?? []).map((m: { value: string }) => m.value) : [];
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

export const IDP_SEQUENCES: Record<string, Sequence> = {
  /** Okta: lookup by userName, POST, GET, PUT for changes, PATCH active=false to deactivate; groups by PATCH. */
  async okta(client, tag, check, later) {
    const userName = `okta.${tag}@example.com`;
    await client.scim("GET", byUserName(userName));
    const id = await createUser(client, { userName, name: { givenName: "O", familyName: "K" }, emails: [{ value: userName, primary: true }], active: true });
    check("okta: GET after POST", (await client.scim("GET", `/Users/${id}`, undefined, any)).status === 200);
    const group = (await client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `Okta ${tag}`, members: [] }, [201])).body.id;
    await later();
    await client.scim("PUT", `/Users/${id}`, { schemas: [CORE], userName, displayName: "Okta Changed", active: true });
    check("okta: GET after PUT", (await client.scim("GET", `/Users/${id}`, undefined, any)).body?.displayName === "Okta Changed");
    await client.scim("PATCH", `/Groups/${group}`, patch({ op: "add", path: "members", value: [{ value: id }] }));
    check("okta: group members after PATCH", (await members(client, group)).includes(id));
    await client.scim("PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } }));
    check("okta: lookup after deactivate", (await client.scim("GET", byUserName(userName))).body.Resources?.[0]?.active === false);
  },
  /** Entra ID: lookup by userName, POST, PATCH with capitalised ops, lookup by externalId, group PATCH, DELETE. */
  async entra(client, tag, check, later) {
    const userName = `entra.${tag}@example.com`;
    await client.scim("GET", byUserName(userName));
    const id = await createUser(client, { userName, externalId: `entra-${tag}`, active: true, displayName: "Entra" });
    check("entra: lookup by externalId after POST", (await client.scim("GET", byExternalId(`entra-${tag}`))).body.totalResults === 1);
    const group = (await client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `Entra ${tag}`, externalId: `eg-${tag}` }, [201])).body.id;
    await later();
    await client.scim("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "displayName", value: "Entra Changed" }));
    check("entra: GET after PATCH", (await client.scim("GET", `/Users/${id}`, undefined, any)).body?.displayName === "Entra Changed");
    await client.scim("PATCH", `/Groups/${group}`, patch({ op: "Add", path: "members", value: [{ value: id }] }));
    check("entra: group members after PATCH", (await members(client, group)).includes(id));
    await client.scim("DELETE", `/Users/${id}`, undefined, [204]);
    check("entra: GET after DELETE is 404", (await client.scim("GET", `/Users/${id}`, undefined, any)).status === 404);
    check("entra: group lost the deleted member", !(await members(client, group)).includes(id));
  },
  /** JumpCloud: lookup, POST, PUT, groups created with members then PUT. */
  async jumpcloud(client, tag, check, later) {
    const userName = `jc.${tag}@example.com`;
    await client.scim("GET", byUserName(userName));
    const id = await createUser(client, { userName, name: { givenName: "J", familyName: "C" }, emails: [{ value: userName, type: "work", primary: true }] });
    check("jumpcloud: lookup after POST", (await client.scim("GET", byUserName(userName))).body.totalResults === 1);
    await later();
    await client.scim("PUT", `/Users/${id}`, { schemas: [CORE], userName, title: "Engineer" });
    check("jumpcloud: GET after PUT", (await client.scim("GET", `/Users/${id}`, undefined, any)).body?.title === "Engineer");
    const group = (await client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `JC ${tag}`, members: [{ value: id }] }, [201])).body.id;
    check("jumpcloud: GET group after POST", (await members(client, group)).includes(id));
    await later();
    await client.scim("PUT", `/Groups/${group}`, { schemas: [GROUP], displayName: `JC ${tag} renamed`, members: [] });
    check("jumpcloud: GET group after PUT", (await client.scim("GET", `/Groups/${group}`, undefined, any)).body?.displayName === `JC ${tag} renamed`);
  },
  /** OneLogin: POST, GET, PUT; no lookups before creating. */
  async onelogin(client, tag, check, later) {
    const userName = `ol.${tag}@example.com`;
    const id = await createUser(client, { userName, name: { givenName: "O", familyName: "L" } });
    check("onelogin: GET after POST", (await client.scim("GET", `/Users/${id}`, undefined, any)).status === 200);
    await later();
    await client.scim("PUT", `/Users/${id}`, { schemas: [CORE], userName, active: false });
    check("onelogin: GET after PUT", (await client.scim("GET", `/Users/${id}`, undefined, any)).body?.active === false);
  },
  /** Google Workspace: lookup, POST, PATCH, lookup again. */
  async google(client, tag, check, later) {
    const userName = `google.${tag}@example.com`;
    await client.scim("GET", byUserName(userName));
    const id = await createUser(client, { userName, name: { givenName: "G", familyName: "W" }, active: true });
    check("google: lookup after POST", (await client.scim("GET", byUserName(userName))).body.totalResults === 1);
    await later();
    await client.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "name.givenName", value: "Gee" }));
    check("google: lookup after PATCH", (await client.scim("GET", byUserName(userName))).body.Resources?.[0]?.name?.givenName === "Gee");
  },
  /** authentik: POST, PUT, groups POST then PATCH members, GET group; DELETE group. */
  async authentik(client, tag, check, later) {
    const userName = `ak.${tag}@example.com`;
    const id = await createUser(client, { userName, name: { givenName: "A", familyName: "K" } });
    const group = (await client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `AK ${tag}` }, [201])).body.id;
    await later();
    await client.scim("PUT", `/Users/${id}`, { schemas: [CORE], userName, displayName: "Authentik" });
    check("authentik: GET after PUT", (await client.scim("GET", `/Users/${id}`, undefined, any)).body?.displayName === "Authentik");
    await client.scim("PATCH", `/Groups/${group}`, patch({ op: "add", path: "members", value: [{ value: id }] }));
    check("authentik: group members after PATCH", (await members(client, group)).includes(id));
    await client.scim("DELETE", `/Groups/${group}`, undefined, [204]);
    check("authentik: GET group after DELETE is 404", (await client.scim("GET", `/Groups/${group}`, undefined, any)).status === 404);
  },
};

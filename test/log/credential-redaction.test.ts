// Finding 2 of issue 16: the provisioning log (and so the console, which reads it through the API)
// never shows a credential this service issues — SCIM tokens, setup tokens, session ids — wherever it
// appears in a logged path, query or detail; parameters named like credentials are redacted whatever
// their value.
import { describe, expect, it } from "vitest";
import { redactCredentials, summarizeQuery } from "../../src/provisioning-log/record";
import { admin, newScimOrg, viaApp } from "../support/helpers";

const send = viaApp(); // waits for ctx.waitUntil, so entries are written when a call returns

async function entries(orgId: string) {
  const res = await admin("GET", `/orgs/${orgId}/scim/log?limit=200`, undefined, send);
  expect(res.status).toBe(200);
  return res.body.entries as { path: string; query: string | null; detail: string | null; status: number }[];
}

const b64 = (n: number) => Array.from({ length: n }, (_, i) => "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_"[i % 38]).join("");

describe("credentials in the provisioning log", () => {
  it("redacts a SCIM token, a setup token and a session id in paths, queries and details", async () => {
    const org = await newScimOrg({ send });
    const other = `scim_${b64(43)}`;
    const setup = `setup_${b64(43)}`;
    const session = b64(43).split("").reverse().join("");
    const requests: [string, string][] = [
      ["GET", `/Users/${org.token}`],
      ["GET", `/Users/${encodeURIComponent(org.token).replace("s", "%73")}`],
      ["GET", `/Users?filter=${encodeURIComponent(`userName eq "${org.token}"`)}`],
      ["GET", `/Users?filter=${encodeURIComponent(`externalId eq "${setup}" and`)}`],
      ["GET", `/Users?x=${other}&startIndex=1`],
      ["GET", `/Groups?ref=${session}`],
      ["GET", `/Groups/${setup}`],
      ["POST", `/Users/.search`],
    ];
    for (const [method, path] of requests) {
      const body = method === "POST" ? { filter: `userName eq "${org.token}" and` } : undefined;
      await org.call(method, path, body);
    }
    const logged = await entries(org.orgId);
    expect(logged.length).toBe(requests.length);
    const text = JSON.stringify(logged);
    for (const secret of [org.token, other, setup, session]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(-20));
    }
    expect(text).not.toContain(org.token.slice("scim_".length, "scim_".length + 16));
    // What is not a credential is still shown, so the log stays useful.
    expect(logged.some((e) => e.query?.includes("startIndex=1"))).toBe(true);
    expect(logged.some((e) => e.path === "/scim/v2/Users/[redacted]")).toBe(true);
    expect(logged.filter((e) => e.status === 404).every((e) => e.detail !== null && !/scim_|setup_/.test(e.detail.replace("[redacted]", "")))).toBe(true);
  });

  it("redacts parameters named like credentials, whatever their value", () => {
    const names = ["pwd", "sig", "jwt", "code", "session", "sessionId", "access_token", "client_secret", "password", "apiKey", "auth", "signature", "cookie", "otp", "assertion", "SAMLResponse", "credential"];
    const params = new URLSearchParams(names.map((n): [string, string] => [n, "v4lue"]));
    params.append("filter", 'userName eq "bob"');
    params.append("count", "10");
    const summary = summarizeQuery(params)!;
    expect(summary).not.toContain("v4lue");
    for (const n of names) expect(summary).toContain(`${n}=[redacted]`);
    expect(summary).toContain('filter=userName eq "bob"&count=10');
  });

  it("leaves ids, e-mail addresses and ordinary text alone", () => {
    const id = crypto.randomUUID();
    for (const text of [`/scim/v2/Users/${id}`, "userName eq \"ann.lee@example.com\"", "No SCIM endpoint at /scim/v2/Foo", "scim_ alone", `${id}${id}`.slice(0, 40)]) {
      expect(redactCredentials(text)).toBe(text);
    }
  });
});

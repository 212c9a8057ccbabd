// Console pages: the sign-in guard, what pages embed, 404s, security headers, static assets.
import { describe, expect, it } from "vitest";
import { admin, consoleSignIn as signIn, ORIGIN, viaWorker, type ConsoleSession, type Fetch } from "../support/helpers";
import { seedGroup } from "../support/seed";

describe("console pages", () => {
  const page = (path: string, session?: ConsoleSession, send: Fetch = viaWorker) =>
    send(new Request(`${ORIGIN}${path}`, { headers: session ? { Cookie: session.cookie } : {}, redirect: "manual" }));

  it("send a visitor without a session to sign in, and back afterwards", async () => {
    const res = await page("/admin/orgs/x/provisioning-log?status=4xx");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/admin/sign-in?next=%2Fadmin%2Forgs%2Fx%2Fprovisioning-log%3Fstatus%3D4xx");
    const signInPage = await (await page("/admin/sign-in?next=%2Fadmin%2Forgs%2Fx")).text();
    expect(signInPage).toContain('data-next="/admin/orgs/x"');
    for (const next of ["https://evil.example", "//evil.example", "/api/v1/orgs", "/admin\\@evil"]) {
      expect(await (await page(`/admin/sign-in?next=${encodeURIComponent(next)}`)).text()).toContain('data-next="/admin"');
    }
    const session = await signIn();
    const again = await page("/admin/sign-in?next=%2Fadmin%2Forgs%2Fx", session);
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe("/admin/orgs/x");
  });

  it("embed the session's CSRF token and escape what they show", async () => {
    const session = await signIn();
    const org = (await admin("POST", "/orgs", { name: '<script>alert("x")</script>' })).body;
    const home = await (await page("/admin", session)).text();
    expect(home).toContain(`<meta name="csrf-token" content="${session.csrfToken}"/>`);
    const scim = await page(`/admin/orgs/${org.id}/settings/authentication/scim`, session);
    expect(scim.status).toBe(200);
    const html = await scim.text();
    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain(`value="${ORIGIN}/scim/v2"`);
    expect((await page(`/admin/orgs/${org.id}`, session)).headers.get("Location")).toBe(
      `/admin/orgs/${org.id}/settings/authentication/scim`,
    );
  });

  it("show the directory read-only, escaping what the identity provider and the address bar supply", async () => {
    const session = await signIn();
    const org = (await admin("POST", "/orgs", { name: "Directory" })).body;
    const groupId = await seedGroup(org.id, '<img src=x onerror="alert(1)">');
    const group = await (await page(`/admin/orgs/${org.id}/directory/groups/${groupId}`, session)).text();
    expect(group).not.toContain("<img src=x");
    expect(group).toContain("&lt;img src=x");
    expect(group).toContain(`data-group-id="${groupId}"`);
    expect(group).toContain('data-member-count="0"');
    expect(group).toContain(`href="/admin/orgs/${org.id}/directory/groups"`); // the Groups breadcrumb

    const users = await (await page(`/admin/orgs/${org.id}/directory/users?q=${encodeURIComponent('"><b>x')}&state=pending`, session)).text();
    expect(users).not.toContain('"><b>x');
    expect(users).toMatch(/<input type="search" id="user-q" name="q" value="&quot;&gt;&lt;b&gt;x"/);
    expect(users).toMatch(/<option value="pending" selected="">Pending setup<\/option>/);
    const unknownState = await (await page(`/admin/orgs/${org.id}/directory/users?state=bogus`, session)).text();
    expect(unknownState).toContain('<option value="" selected="">All users</option>');
    expect(unknownState.match(/selected/g)).toHaveLength(1);

    for (const html of [group, users, await (await page(`/admin/orgs/${org.id}/directory/groups`, session)).text()]) {
      expect(html).toContain("your identity provider is the source of truth");
      expect(html).toMatch(/<a href="\/admin\/orgs\/[^"]+\/directory\/users"[^>]*>Users<\/a>/);
      expect(html).toMatch(/<a href="\/admin\/orgs\/[^"]+\/directory\/groups"[^>]*>Groups<\/a>/);
    }
  });

  it("answer 404 pages for unknown organizations and paths", async () => {
    const session = await signIn();
    const mine = (await admin("POST", "/orgs", { name: "Mine" })).body.id;
    const theirs = (await admin("POST", "/orgs", { name: "Theirs" })).body.id;
    const theirGroup = await seedGroup(theirs, "Their group");
    for (const path of [
      "/admin/orgs/nope/provisioning-log",
      "/admin/orgs/nope/settings/authentication/scim",
      "/admin/orgs/nope/directory/users",
      "/admin/orgs/nope/directory/groups",
      "/admin/orgs/nope/events",
      "/admin/orgs/nope/webhooks",
      `/admin/orgs/${mine}/directory/groups/${theirGroup}`,
      `/admin/orgs/${mine}/directory/groups/nope`,
      "/admin/nope",
      "/admin/assets/nope.js",
      "/admin/assets/constructor",
    ]) {
      const res = await page(path, session);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type"), path).toMatch(/^text\/html/);
    }
  });

  it("carry the security headers, with no inline script, on every page", async () => {
    const session = await signIn();
    const org = (await admin("POST", "/orgs", { name: "Headers" })).body;
    const paths = [
      ["/admin/sign-in", undefined],
      ["/admin", session],
      [`/admin/orgs/${org.id}/settings/authentication/scim`, session],
      [`/admin/orgs/${org.id}/provisioning-log`, session],
      [`/admin/orgs/${org.id}/directory/users?q=a&state=pending`, session],
      [`/admin/orgs/${org.id}/directory/groups`, session],
      [`/admin/orgs/${org.id}/events?type=user.created`, session],
      [`/admin/orgs/${org.id}/webhooks`, session],
      [`/admin/orgs/${org.id}/directory/groups/${await seedGroup(org.id, "Headers")}`, session],
      ["/admin/nope", session],
      ["/admin/orgs/x", undefined],
    ] as const;
    for (const [path, who] of paths) {
      const res = await page(path, who);
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("unsafe");
      expect(res.headers.get("Referrer-Policy"), path).toBe("no-referrer");
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
      expect(res.headers.get("Cache-Control"), path).toBe("no-store");
      const html = await res.text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it("serve their scripts and styles from the Worker", async () => {
    for (const [name, type] of [
      ["console.js", "text/javascript"],
      ["scim-configuration.js", "text/javascript"],
      ["directory.js", "text/javascript"],
      ["directory-users.js", "text/javascript"],
      ["directory-groups.js", "text/javascript"],
      ["directory-group.js", "text/javascript"],
      ["events.js", "text/javascript"],
      ["webhooks.js", "text/javascript"],
      ["console.css", "text/css"],
    ]) {
      const res = await page(`/admin/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get("Content-Type"), name).toMatch(new RegExp(`^${type}`));
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect((await res.text()).length).toBeGreaterThan(100);
    }
  });
});

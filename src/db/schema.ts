/**
 * The D1 schema. drizzle-kit generates `drizzle/NNNN_*.sql` from this file (`npm run db:generate`).
 *
 * Conventions:
 * - Every tenant row carries `org_id`; every index a request uses starts with `org_id`, so one org's
 *   queries never scan another's rows.
 * - Times are epoch milliseconds (integers): they index, compare and sort as instants.
 * - `*_norm` columns hold the case-folded form (lower-case + NFC, done in JS, because SQLite's NOCASE
 *   and lower() fold ASCII only) of attributes SCIM compares case-insensitively; uniqueness,
 *   filtering and sorting use them.
 * - Indexes a list sorts on end with `id`, the tie-breaker every list appends, so that a page is an
 *   index walk with no sort step and rows skipped by OFFSET are never read from the table.
 * - Adding a column is an `ALTER TABLE ADD COLUMN`. Never let drizzle-kit rebuild a parent table:
 *   on D1 the rebuild's DROP TABLE cascades into child rows (D1 ignores PRAGMA foreign_keys=OFF).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  scimEnabled: integer("scim_enabled", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  /** The org's rate-limit level (src/services/rate-limits.ts RATE_LIMIT_LEVELS). */
  rateLimitLevel: text("rate_limit_level").notNull().default("standard"),
});

export const scimTokens = sqliteTable(
  "scim_tokens",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the bearer token; the plaintext is never stored. */
    tokenHash: text("token_hash").notNull(),
    prefix: text("prefix").notNull(),
    description: text("description").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    /** When this token was rotated; it then works until `expires_at` (its grace period) or was revoked at once. */
    rotatedAt: integer("rotated_at"),
    /** The id of the token that replaced it. */
    replacedBy: text("replaced_by"),
  },
  (t) => [uniqueIndex("scim_tokens_hash").on(t.tokenHash), index("scim_tokens_org").on(t.orgId, t.createdAt)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    userName: text("user_name").notNull(),
    userNameNorm: text("user_name_norm").notNull(),
    /** caseExact per RFC 7643, so no normalised twin. */
    externalId: text("external_id"),
    displayName: text("display_name"),
    displayNameNorm: text("display_name_norm"),
    givenNameNorm: text("given_name_norm"),
    familyNameNorm: text("family_name_norm"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** meta.version; the ETag is W/"<version>". */
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    lastModified: integer("last_modified").notNull(),
    /** The stored SCIM resource (canonical attribute names, no id/meta/groups/password), as JSON. */
    data: text("data").notNull(),
    /**
     * `data` with every caseExact=false string folded (lower-case + NFC, in JS): the view filters and
     * sorts read with json_extract, because SQLite's lower() folds ASCII only.
     */
    dataNorm: text("data_norm").notNull().default("{}"),
    /** First-login state; never part of the SCIM resource. */
    setupState: text("setup_state", { enum: ["pending", "complete"] })
      .notNull()
      .default("pending"),
    /**
     * What userName uniqueness is decided on: the PRECIS UsernameCaseMapped mappings of the userName
     * (src/scim/text.ts userNameKey), so that look-alikes collide. A row whose key collided when
     * migration 0005 recomputed it holds " <id>" instead (a leading space no key has) and is listed in
     * user_name_collisions. Every insert sets it; the default only lets ALTER TABLE add the column.
     */
    userNameKey: text("user_name_key").notNull().default(""),
    /** 1 once user_name_key is the PRECIS key; 0 for rows migration 0005 left to the Worker (src/db/user-name-keys.ts). */
    userNameKeyVersion: integer("user_name_key_version").notNull().default(1),
  },
  (t) => [
    // The fold stays unique too: the directory pages by it, and userName sorts walk it without a tie-breaker.
    uniqueIndex("users_org_user_name").on(t.orgId, t.userNameNorm),
    uniqueIndex("users_org_user_name_key").on(t.orgId, t.userNameKey),
    index("users_user_name_key_pending")
      .on(t.userNameKeyVersion)
      .where(sql`user_name_key_version = 0`),
    index("users_org_id").on(t.orgId, t.id),
    index("users_org_external_id").on(t.orgId, t.externalId, t.id),
    index("users_org_display_name").on(t.orgId, t.displayNameNorm, t.id),
    index("users_org_given_name").on(t.orgId, t.givenNameNorm, t.id),
    index("users_org_family_name").on(t.orgId, t.familyNameNorm, t.id),
    index("users_org_active").on(t.orgId, t.active),
    index("users_org_created").on(t.orgId, t.createdAt, t.id),
    index("users_org_last_modified").on(t.orgId, t.lastModified, t.id),
    index("users_org_setup_state").on(t.orgId, t.setupState),
    // The admin directory lists users in userName order, filtered by state, one keyset page at a time.
    index("users_org_active_user_name").on(t.orgId, t.active, t.userNameNorm),
    index("users_org_setup_state_user_name").on(t.orgId, t.setupState, t.userNameNorm),
  ],
);

/** One row per value of a user's `emails`, so that email filters use an index. */
export const userEmails = sqliteTable(
  "user_emails",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Index of the value within the resource's `emails` array. */
    position: integer("position").notNull(),
    orgId: text("org_id").notNull(),
    valueNorm: text("value_norm").notNull(),
    typeNorm: text("type_norm"),
    primary: integer("primary", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.position] }),
    index("user_emails_org_value").on(t.orgId, t.valueNorm),
    index("user_emails_org_type").on(t.orgId, t.typeNorm),
  ],
);

export const groups = sqliteTable(
  "groups",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    displayNameNorm: text("display_name_norm").notNull(),
    externalId: text("external_id"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    lastModified: integer("last_modified").notNull(),
    /** Maintained with every membership write so that lists never count members. */
    memberCount: integer("member_count").notNull().default(0),
    /** The stored SCIM resource without members, id and meta, as JSON. */
    data: text("data").notNull(),
  },
  (t) => [
    uniqueIndex("groups_org_display_name").on(t.orgId, t.displayNameNorm),
    index("groups_org_id").on(t.orgId, t.id),
    index("groups_org_external_id").on(t.orgId, t.externalId, t.id),
    index("groups_org_created").on(t.orgId, t.createdAt, t.id),
    index("groups_org_last_modified").on(t.orgId, t.lastModified, t.id),
  ],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user").on(t.userId, t.groupId)],
);

/** Single-use links with which a provisioned person finishes setup. Only the hash is stored. */
export const setupLinks = sqliteTable(
  "setup_links",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    /** Set when a newer link for the same user replaced this one. */
    supersededAt: integer("superseded_at"),
    /**
     * A marker unique to the completion that consumed the link. The completion's batch guards its
     * other statements on it, so a request that lost a double submit changes nothing.
     */
    consumedBy: text("consumed_by"),
  },
  (t) => [uniqueIndex("setup_links_hash").on(t.tokenHash), index("setup_links_user").on(t.userId, t.createdAt)],
);

/**
 * A person's key material: the public key and the private key encrypted under a key derived from a
 * passphrase that never leaves their browser. The service cannot decrypt it.
 */
export const userKeys = sqliteTable("user_keys", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  orgId: text("org_id").notNull(),
  publicKey: text("public_key").notNull(),
  encryptedPrivateKey: text("encrypted_private_key").notNull(),
  iv: text("iv").notNull(),
  salt: text("salt").notNull(),
  kdf: text("kdf").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Browser sessions of provisioned people (after setup). Only the hash of the session id is stored. */
export const userSessions = sqliteTable(
  "user_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    orgId: text("org_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("user_sessions_user").on(t.userId)],
);

/** Operator console sessions. Only the hash of the session id is stored; never the operator token. */
export const consoleSessions = sqliteTable("console_sessions", {
  idHash: text("id_hash").primaryKey(),
  /** SHA-256 of the session's CSRF token (an HMAC of the session id; see src/auth/console-sessions.ts). */
  csrfHash: text("csrf_hash").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * The provisioning log as it was kept in D1 until issue 13. No longer written or read: each
 * organization's log is its own ProvisioningLog Durable Object (src/provisioning-log). Kept so that a
 * Worker rolled back to the previous version still finds it; a later migration drops it (a plain
 * DROP TABLE: nothing references it, so nothing cascades). Its rows were not migrated.
 */
export const scimLog = sqliteTable(
  "scim_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orgId: text("org_id").notNull(),
    at: integer("at").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    query: text("query"),
    /** PATCH op/path summary as JSON, e.g. {"count":1,"items":[{"op":"replace","path":"active"}]}. */
    ops: text("ops"),
    status: integer("status").notNull(),
    /** status / 100, so that the log filters by class on an index. */
    statusClass: integer("status_class").notNull(),
    scimType: text("scim_type"),
    detail: text("detail"),
    durationMs: integer("duration_ms").notNull(),
    userAgent: text("user_agent"),
    tokenId: text("token_id"),
    tokenDescription: text("token_description"),
    idp: text("idp"),
  },
  (t) => [index("scim_log_org").on(t.orgId, t.id), index("scim_log_org_class").on(t.orgId, t.statusClass, t.id)],
);

/**
 * The report of migration 0005: users whose recomputed userName key was already held by another user
 * of their organization. They keep a distinguishing key (" <id>") and are never deleted; the operator
 * reads this list (GET /api/v1/maintenance/user-name-keys) and resolves each in the identity provider.
 */
export const userNameCollisions = sqliteTable(
  "user_name_collisions",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    userName: text("user_name").notNull(),
    /** The key it would have had. */
    userNameKey: text("user_name_key").notNull(),
    /** The user that holds that key. */
    heldByUserId: text("held_by_user_id").notNull(),
    foundAt: integer("found_at").notNull(),
  },
  (t) => [index("user_name_collisions_org").on(t.orgId, t.foundAt)],
);

/** Operator-level counters (e.g. SCIM requests with unknown tokens, which belong to no org). */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull().default(0),
  updatedAt: integer("updated_at").notNull().default(sql`0`),
});

/**
 * An organization's single sign-on (issue 18): SAML 2.0 or OpenID Connect, at most one per org.
 * `settings` is the protocol's JSON (see src/sso/config.ts); the OIDC client secret is kept apart,
 * AES-GCM-encrypted under the SSO_SECRET_KEY deployment secret, and never returned.
 */
export const ssoConfigs = sqliteTable("sso_configs", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => orgs.id, { onDelete: "cascade" }),
  protocol: text("protocol", { enum: ["saml", "oidc"] }).notNull(),
  settings: text("settings").notNull(),
  clientSecretEncrypted: text("client_secret_encrypted"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Sign-ins in progress (SP-initiated): the SAML AuthnRequest ID, or the OIDC state with its nonce and
 * PKCE verifier. Keyed by the SHA-256 of the request id or state; each row is consumed exactly once.
 */
export const ssoFlows = sqliteTable(
  "sso_flows",
  {
    keyHash: text("key_hash").primaryKey(),
    orgId: text("org_id").notNull(),
    protocol: text("protocol", { enum: ["saml", "oidc"] }).notNull(),
    nonce: text("nonce"),
    codeVerifier: text("code_verifier"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sso_flows_expires").on(t.expiresAt)],
);

/** SAML assertion ids seen, kept until the assertion expires, so that a replayed assertion is refused. */
export const ssoAssertions = sqliteTable(
  "sso_assertions",
  {
    orgId: text("org_id").notNull(),
    assertionId: text("assertion_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.assertionId] }), index("sso_assertions_expires").on(t.expiresAt)],
);

/** Refused sign-ins, for the org's admins: who claimed to sign in, through what, and why it failed. */
export const ssoAttempts = sqliteTable(
  "sso_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orgId: text("org_id").notNull(),
    at: integer("at").notNull(),
    protocol: text("protocol").notNull(),
    /** The identity the provider asserted (NameID, email, preferred_username), when it got that far. */
    subject: text("subject"),
    userId: text("user_id"),
    reason: text("reason").notNull(),
    detail: text("detail"),
  },
  (t) => [index("sso_attempts_org").on(t.orgId, t.id)],
);

/**
 * The operator's audit trail: one row per admin write (organization created, SCIM on/off, token
 * created/rotated/revoked, setup link issued, rate-limit level changed, console sign-in/out, …),
 * never a secret. Append-only: no API changes or deletes a row, and triggers (migration 0007) make
 * the database itself refuse an UPDATE, and a DELETE of a row less than a year old.
 * No foreign keys: the trail outlives what it names.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    /** e.g. "token.rotated" (see src/routes/audit.ts AuditAction). */
    action: text("action").notNull(),
    /** The organization it concerns; null for operator-level actions (console sign-in). */
    orgId: text("org_id"),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    /** Non-secret particulars as JSON, e.g. {"graceHours":24,"replacedBy":"…"}. */
    detail: text("detail"),
    /** "operator_token" (bearer ADMIN_TOKEN) or "console_session". */
    actorKind: text("actor_kind").notNull(),
    /** A prefix of the SHA-256 of the credential: stable, and no way back to it. */
    actorId: text("actor_id").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("audit_log_org").on(t.orgId, t.id)],
);

/**
 * The directory's events (issue 14): the transactional outbox. Every row is written in the same
 * atomic D1 batch as the change it describes (src/db/events.ts), so a change without its events, or
 * an event without its change, cannot exist. `sequence` increases by one per event within an org,
 * without gaps, in commit order: each insert numbers its rows from the org's current maximum inside
 * the batch, and D1 runs batches one at a time. Kept 30 days (src/events/retention.ts).
 */
export const events = sqliteTable(
  "events",
  {
    /** 32 lowercase hex characters; the idempotency key a consumer deduplicates on. */
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    sequence: integer("sequence").notNull(),
    /** e.g. "user.deactivated" (src/events/model.ts EVENT_TYPES). */
    type: text("type").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    /** The event's `data` as JSON: the resource as SCIM renders it, or the membership's two ends. */
    data: text("data").notNull(),
  },
  (t) => [
    uniqueIndex("events_org_sequence").on(t.orgId, t.sequence),
    index("events_org_type_sequence").on(t.orgId, t.type, t.sequence),
    index("events_occurred").on(t.occurredAt),
  ],
);

/**
 * The highest sequence retention has pruned per org: numbering continues from it when every event of
 * an org has been pruned, and a consumer's cursor below it has missed events (410).
 */
export const eventSequences = sqliteTable("event_sequences", {
  orgId: text("org_id").primaryKey(),
  prunedThrough: integer("pruned_through").notNull().default(0),
});

/**
 * Webhook endpoints (issue 14): where an organization's events are pushed, one Durable Object per
 * endpoint delivering them in sequence order (src/events/delivery.ts). The signing secret is kept
 * sealed (AES-GCM under the WEBHOOK_SECRET_KEY deployment secret, src/lib/secret-box.ts) and shown
 * once. `cursor` is the last sequence the endpoint is done with (delivered, dead-lettered, or skipped
 * by its type filter): the sweeper pokes every endpoint whose cursor is behind its org's stream.
 * `kind` "setup" is the deployment's setup-link webhook (SETUP_WEBHOOK_URL) as it rides on the same
 * machinery for one org: its URL and secret come from the deployment, never from this row.
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["endpoint", "setup"] }).notNull().default("endpoint"),
    url: text("url").notNull(),
    /** JSON array of event types, or null for every type. */
    eventTypes: text("event_types"),
    format: text("format", { enum: ["json", "set"] }).notNull().default("json"),
    secretSealed: text("secret_sealed"),
    createdAt: integer("created_at").notNull(),
    cursor: integer("cursor").notNull().default(0),
  },
  (t) => [index("webhooks_org").on(t.orgId, t.kind)],
);

/**
 * Each attempted delivery of an event to an endpoint (none until the first attempt): its attempts,
 * the last answer, and when it is tried again. `failed` is the dead letter: kept, shown, redeliverable.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    webhookId: text("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    sequence: integer("sequence").notNull(),
    attempts: integer("attempts").notNull().default(0),
    status: text("status", { enum: ["pending", "retrying", "delivered", "failed"] }).notNull(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at"),
    nextAttemptAt: integer("next_attempt_at"),
  },
  (t) => [
    primaryKey({ columns: [t.webhookId, t.eventId] }),
    index("webhook_deliveries_event").on(t.eventId),
    index("webhook_deliveries_recent").on(t.webhookId, t.lastAttemptAt),
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
  ],
);

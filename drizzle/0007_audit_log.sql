CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`org_id` text,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`detail` text,
	`actor_kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`ip` text,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_org` ON `audit_log` (`org_id`,`id`);--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers): the trail is append-only in the database
-- itself. No row is ever changed, and none younger than a year (365 days) is ever deleted; the hourly
-- retention (src/scheduled.ts) removes only rows older than 400 days.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;--> statement-breakpoint
CREATE TRIGGER `audit_log_keep_a_year` BEFORE DELETE ON `audit_log`
WHEN OLD.`at` > (CAST(strftime('%s', 'now') AS INTEGER) - 365 * 86400) * 1000
BEGIN
  SELECT RAISE(ABORT, 'audit_log rows are kept at least a year');
END;

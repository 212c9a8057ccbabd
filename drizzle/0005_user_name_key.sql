CREATE TABLE `user_name_collisions` (
	`user_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_name` text NOT NULL,
	`user_name_key` text NOT NULL,
	`held_by_user_id` text NOT NULL,
	`found_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_name_collisions_org` ON `user_name_collisions` (`org_id`,`found_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `user_name_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `user_name_key_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Hand-written (drizzle-kit cannot know it): the key of the existing rows. SQLite has no Unicode
-- functions, so the PRECIS key (src/scim/text.ts userNameKey) cannot be computed here for every name.
-- For a userName of printable ASCII with no leading, trailing or doubled space it equals
-- user_name_norm (ASCII lower case: width mapping, NFC and ignorables change nothing), so those rows
-- are final here. Every other row keeps its old key, user_name_norm (unique already, so the unique
-- index below cannot fail), and is marked 0 for the Worker to recompute in JS (src/db/user-name-keys.ts:
-- the hourly Cron Trigger, or POST /api/v1/maintenance/user-name-keys right after this migration).
UPDATE `users` SET `user_name_key` = `user_name_norm`, `user_name_key_version` = CASE
  WHEN `user_name` GLOB '*[^ -~]*' OR `user_name` GLOB ' *' OR `user_name` GLOB '* ' OR instr(`user_name`, '  ') > 0 THEN 0
  ELSE 1 END;--> statement-breakpoint
CREATE UNIQUE INDEX `users_org_user_name_key` ON `users` (`org_id`,`user_name_key`);--> statement-breakpoint
CREATE INDEX `users_user_name_key_pending` ON `users` (`user_name_key_version`) WHERE user_name_key_version = 0;

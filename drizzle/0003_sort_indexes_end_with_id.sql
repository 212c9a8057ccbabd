DROP INDEX `groups_org_external_id`;--> statement-breakpoint
DROP INDEX `groups_org_created`;--> statement-breakpoint
DROP INDEX `groups_org_last_modified`;--> statement-breakpoint
CREATE INDEX `groups_org_external_id` ON `groups` (`org_id`,`external_id`,`id`);--> statement-breakpoint
CREATE INDEX `groups_org_created` ON `groups` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `groups_org_last_modified` ON `groups` (`org_id`,`last_modified`,`id`);--> statement-breakpoint
DROP INDEX `users_org_external_id`;--> statement-breakpoint
DROP INDEX `users_org_display_name`;--> statement-breakpoint
DROP INDEX `users_org_given_name`;--> statement-breakpoint
DROP INDEX `users_org_family_name`;--> statement-breakpoint
DROP INDEX `users_org_created`;--> statement-breakpoint
DROP INDEX `users_org_last_modified`;--> statement-breakpoint
CREATE INDEX `users_org_external_id` ON `users` (`org_id`,`external_id`,`id`);--> statement-breakpoint
CREATE INDEX `users_org_display_name` ON `users` (`org_id`,`display_name_norm`,`id`);--> statement-breakpoint
CREATE INDEX `users_org_given_name` ON `users` (`org_id`,`given_name_norm`,`id`);--> statement-breakpoint
CREATE INDEX `users_org_family_name` ON `users` (`org_id`,`family_name_norm`,`id`);--> statement-breakpoint
CREATE INDEX `users_org_created` ON `users` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `users_org_last_modified` ON `users` (`org_id`,`last_modified`,`id`);
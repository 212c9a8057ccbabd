CREATE TABLE `console_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`csrf_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_user` ON `group_members` (`user_id`,`group_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`display_name` text NOT NULL,
	`display_name_norm` text NOT NULL,
	`external_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`last_modified` integer NOT NULL,
	`member_count` integer DEFAULT 0 NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_org_display_name` ON `groups` (`org_id`,`display_name_norm`);--> statement-breakpoint
CREATE INDEX `groups_org_id` ON `groups` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `groups_org_external_id` ON `groups` (`org_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `groups_org_created` ON `groups` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `groups_org_last_modified` ON `groups` (`org_id`,`last_modified`);--> statement-breakpoint
CREATE TABLE `orgs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scim_enabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scim_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`query` text,
	`ops` text,
	`status` integer NOT NULL,
	`status_class` integer NOT NULL,
	`scim_type` text,
	`detail` text,
	`duration_ms` integer NOT NULL,
	`user_agent` text,
	`token_id` text,
	`token_description` text,
	`idp` text
);
--> statement-breakpoint
CREATE INDEX `scim_log_org` ON `scim_log` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `scim_log_org_class` ON `scim_log` (`org_id`,`status_class`,`id`);--> statement-breakpoint
CREATE TABLE `scim_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`description` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scim_tokens_hash` ON `scim_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `scim_tokens_org` ON `scim_tokens` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `setup_links` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`superseded_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `setup_links_hash` ON `setup_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `setup_links_user` ON `setup_links` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `user_emails` (
	`user_id` text NOT NULL,
	`position` integer NOT NULL,
	`org_id` text NOT NULL,
	`value_norm` text NOT NULL,
	`type_norm` text,
	`primary` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`user_id`, `position`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_emails_org_value` ON `user_emails` (`org_id`,`value_norm`);--> statement-breakpoint
CREATE INDEX `user_emails_org_type` ON `user_emails` (`org_id`,`type_norm`);--> statement-breakpoint
CREATE TABLE `user_keys` (
	`user_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`public_key` text NOT NULL,
	`encrypted_private_key` text NOT NULL,
	`iv` text NOT NULL,
	`salt` text NOT NULL,
	`kdf` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `user_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_sessions_user` ON `user_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_name` text NOT NULL,
	`user_name_norm` text NOT NULL,
	`external_id` text,
	`display_name` text,
	`display_name_norm` text,
	`given_name_norm` text,
	`family_name_norm` text,
	`active` integer DEFAULT true NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`last_modified` integer NOT NULL,
	`data` text NOT NULL,
	`setup_state` text DEFAULT 'pending' NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_org_user_name` ON `users` (`org_id`,`user_name_norm`);--> statement-breakpoint
CREATE INDEX `users_org_id` ON `users` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `users_org_external_id` ON `users` (`org_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `users_org_display_name` ON `users` (`org_id`,`display_name_norm`);--> statement-breakpoint
CREATE INDEX `users_org_given_name` ON `users` (`org_id`,`given_name_norm`);--> statement-breakpoint
CREATE INDEX `users_org_family_name` ON `users` (`org_id`,`family_name_norm`);--> statement-breakpoint
CREATE INDEX `users_org_active` ON `users` (`org_id`,`active`);--> statement-breakpoint
CREATE INDEX `users_org_created` ON `users` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_org_last_modified` ON `users` (`org_id`,`last_modified`);--> statement-breakpoint
CREATE INDEX `users_org_setup_state` ON `users` (`org_id`,`setup_state`);
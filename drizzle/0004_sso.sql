CREATE TABLE `sso_assertions` (
	`org_id` text NOT NULL,
	`assertion_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `assertion_id`)
);
--> statement-breakpoint
CREATE INDEX `sso_assertions_expires` ON `sso_assertions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `sso_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`at` integer NOT NULL,
	`protocol` text NOT NULL,
	`subject` text,
	`user_id` text,
	`reason` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `sso_attempts_org` ON `sso_attempts` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `sso_configs` (
	`org_id` text PRIMARY KEY NOT NULL,
	`protocol` text NOT NULL,
	`settings` text NOT NULL,
	`client_secret_encrypted` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sso_flows` (
	`key_hash` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`protocol` text NOT NULL,
	`nonce` text,
	`code_verifier` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sso_flows_expires` ON `sso_flows` (`expires_at`);
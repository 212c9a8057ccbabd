CREATE TABLE `scim_token_activity` (
	`token_id` text PRIMARY KEY NOT NULL,
	`last_request_at` integer NOT NULL,
	`last_user_agent` text,
	`last_idp` text,
	`last_error_at` integer,
	`last_error_status` integer,
	`last_error_scim_type` text,
	`last_error_detail` text,
	FOREIGN KEY (`token_id`) REFERENCES `scim_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `scim_token_hours` (
	`token_id` text NOT NULL,
	`hour` integer NOT NULL,
	`requests` integer NOT NULL,
	`errors` integer NOT NULL,
	PRIMARY KEY(`token_id`, `hour`),
	FOREIGN KEY (`token_id`) REFERENCES `scim_tokens`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scim_token_hours_hour` ON `scim_token_hours` (`hour`);
CREATE TABLE `event_sequences` (
	`org_id` text PRIMARY KEY NOT NULL,
	`pruned_through` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_org_sequence` ON `events` (`org_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `events_org_type_sequence` ON `events` (`org_id`,`type`,`sequence`);--> statement-breakpoint
CREATE INDEX `events_occurred` ON `events` (`occurred_at`);
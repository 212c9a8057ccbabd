ALTER TABLE `scim_tokens` ADD `rotated_at` integer;--> statement-breakpoint
ALTER TABLE `scim_tokens` ADD `replaced_by` text;
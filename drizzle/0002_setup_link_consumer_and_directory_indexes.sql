ALTER TABLE `setup_links` ADD `consumed_by` text;--> statement-breakpoint
CREATE INDEX `users_org_active_user_name` ON `users` (`org_id`,`active`,`user_name_norm`);--> statement-breakpoint
CREATE INDEX `users_org_setup_state_user_name` ON `users` (`org_id`,`setup_state`,`user_name_norm`);
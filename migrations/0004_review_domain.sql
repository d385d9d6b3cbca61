ALTER TABLE `review_items` ADD `domain` text;--> statement-breakpoint
CREATE INDEX `review_items_org_status_domain_idx` ON `review_items` (`org_id`,`status`,`domain`);--> statement-breakpoint
-- Review items stored before the column existed take their trace's domain.
UPDATE `review_items` SET `domain` = (SELECT `traces`.`domain` FROM `traces` WHERE `traces`.`id` = `review_items`.`trace_id`);

CREATE TABLE `spans` (
	`org_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text,
	`is_root` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`start_ms` real NOT NULL,
	`end_ms` real NOT NULL,
	`status_code` text NOT NULL,
	`status_message` text,
	`attributes` text NOT NULL,
	`events` text NOT NULL,
	`resource` text NOT NULL,
	`redactions` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `trace_id`, `span_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `spans_created_idx` ON `spans` (`created_at`);
CREATE TABLE `queue_progress` (
	`queue` text PRIMARY KEY NOT NULL,
	`newest_enqueued_at` integer NOT NULL,
	`handled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `span_logs` (
	`org_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`digest` text NOT NULL,
	`event_name` text NOT NULL,
	`time_ms` real NOT NULL,
	`seq` integer NOT NULL,
	`body` text,
	`attributes` text NOT NULL,
	`redactions` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `trace_id`, `span_id`, `digest`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `span_logs_created_idx` ON `span_logs` (`created_at`);--> statement-breakpoint
CREATE TABLE `traces_awaiting_content` (
	`org_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`root_received_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `trace_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `traces_awaiting_content_since_idx` ON `traces_awaiting_content` (`root_received_at`);
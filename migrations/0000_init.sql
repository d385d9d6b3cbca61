CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	`rate_limit_per_minute` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_keys_prefix_idx` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE INDEX `api_keys_org_idx` ON `api_keys` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`org_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`payload_hash` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`org_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`org_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`error` text NOT NULL,
	`dead_lettered_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `trace_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `domain_packs` (
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`pack_version` text NOT NULL,
	`definition` text NOT NULL,
	`content_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `name`, `version`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `evaluation_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`evaluation_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`trace_id` text NOT NULL,
	`tier` integer NOT NULL,
	`module` text NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`evidence` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluation_issues_evaluation_ordinal_uq` ON `evaluation_issues` (`evaluation_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `evaluation_issues_org_rule_idx` ON `evaluation_issues` (`org_id`,`rule`,`created_at`);--> statement-breakpoint
CREATE INDEX `evaluation_issues_trace_idx` ON `evaluation_issues` (`trace_id`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`pipeline_version` text NOT NULL,
	`domain` text NOT NULL,
	`verdict` text NOT NULL,
	`severity` text NOT NULL,
	`risk_score` real NOT NULL,
	`confidence` real NOT NULL,
	`needs_review` integer NOT NULL,
	`review_reason` text,
	`tiers` text NOT NULL,
	`escalations` text NOT NULL,
	`cost_usd` real NOT NULL,
	`latency_ms` real NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluations_trace_pipeline_uq` ON `evaluations` (`trace_id`,`pipeline_version`);--> statement-breakpoint
CREATE INDEX `evaluations_org_created_idx` ON `evaluations` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `evaluations_org_verdict_idx` ON `evaluations` (`org_id`,`verdict`,`created_at`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`plan` text NOT NULL,
	`settings` text NOT NULL,
	`limits` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `review_items` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`trace_id` text NOT NULL,
	`evaluation_id` text NOT NULL,
	`reason` text NOT NULL,
	`priority` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trace_id`) REFERENCES `traces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`evaluation_id`) REFERENCES `evaluations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_items_evaluation_uq` ON `review_items` (`evaluation_id`);--> statement-breakpoint
CREATE INDEX `review_items_org_status_priority_idx` ON `review_items` (`org_id`,`status`,`priority`);--> statement-breakpoint
CREATE TABLE `risk_models` (
	`org_id` text NOT NULL,
	`domain` text NOT NULL,
	`version` text NOT NULL,
	`weights` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `domain`, `version`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `traces` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`client_id` text,
	`domain` text NOT NULL,
	`application_type` text,
	`application_id` text,
	`model` text,
	`input` text NOT NULL,
	`output` text NOT NULL,
	`session_id` text,
	`user_id` text,
	`payload` text NOT NULL,
	`redactions` text NOT NULL,
	`input_tokens` integer,
	`output_tokens` integer,
	`latency_ms` real,
	`cost_usd` real,
	`timestamp` integer,
	`status` text NOT NULL,
	`error` text,
	`latest_evaluation_id` text,
	`verdict` text,
	`severity` text,
	`risk_score` real,
	`needs_review` integer,
	`content_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`enqueued_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `traces_org_created_idx` ON `traces` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `traces_org_domain_created_idx` ON `traces` (`org_id`,`domain`,`created_at`);--> statement-breakpoint
CREATE INDEX `traces_org_session_idx` ON `traces` (`org_id`,`session_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `traces_status_enqueued_idx` ON `traces` (`status`,`enqueued_at`);--> statement-breakpoint
CREATE INDEX `traces_org_verdict_created_idx` ON `traces` (`org_id`,`verdict`,`created_at`);--> statement-breakpoint
CREATE INDEX `traces_org_review_created_idx` ON `traces` (`org_id`,`needs_review`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `traces_org_client_id_uq` ON `traces` (`org_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`org_id` text NOT NULL,
	`day` text NOT NULL,
	`traces_evaluated` integer DEFAULT 0 NOT NULL,
	`tier1_runs` integer DEFAULT 0 NOT NULL,
	`tier2_runs` integer DEFAULT 0 NOT NULL,
	`tier3_runs` integer DEFAULT 0 NOT NULL,
	`reviews_created` integer DEFAULT 0 NOT NULL,
	`judge_cost_usd` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `day`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);

CREATE TABLE `rule_rollup_hourly` (
	`org_id` text NOT NULL,
	`hour` integer NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`traces` integer NOT NULL,
	PRIMARY KEY(`org_id`, `hour`, `rule`, `severity`)
);
--> statement-breakpoint
CREATE TABLE `trace_rollup_hourly` (
	`org_id` text NOT NULL,
	`hour` integer NOT NULL,
	`domain` text NOT NULL,
	`model` text NOT NULL,
	`traces` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_nanos` integer NOT NULL,
	`latency_count` integer NOT NULL,
	`evaluated` integer NOT NULL,
	`pass` integer NOT NULL,
	`fail` integer NOT NULL,
	`review` integer NOT NULL,
	`needs_review` integer NOT NULL,
	`risk_nanos` integer NOT NULL,
	`severity_none` integer NOT NULL,
	`severity_low` integer NOT NULL,
	`severity_medium` integer NOT NULL,
	`severity_high` integer NOT NULL,
	`severity_critical` integer NOT NULL,
	`stopped_tier1` integer NOT NULL,
	`stopped_tier2` integer NOT NULL,
	`stopped_tier3` integer NOT NULL,
	`stopped_tier4` integer NOT NULL,
	`judge_runs` integer NOT NULL,
	`tier1_cost_nanos` integer NOT NULL,
	`tier2_cost_nanos` integer NOT NULL,
	`tier3_cost_nanos` integer NOT NULL,
	`evaluation_latency_count` integer NOT NULL,
	PRIMARY KEY(`org_id`, `hour`, `domain`, `model`)
);
--> statement-breakpoint
CREATE TABLE `trace_similarity_buckets` (
	`org_id` text NOT NULL,
	`bucket` text NOT NULL,
	`trace_id` text NOT NULL,
	PRIMARY KEY(`org_id`, `bucket`, `trace_id`)
);
--> statement-breakpoint
ALTER TABLE `traces` ADD `tool_text` text;--> statement-breakpoint
ALTER TABLE `traces` ADD `minhash` text;--> statement-breakpoint
ALTER TABLE `traces` ADD `stop_tier` integer;--> statement-breakpoint
ALTER TABLE `traces` ADD `judge_ran` integer;--> statement-breakpoint
ALTER TABLE `traces` ADD `evaluation_latency_ms` real;--> statement-breakpoint
ALTER TABLE `traces` ADD `tier_costs` text;--> statement-breakpoint
ALTER TABLE `traces` ADD `issue_rules` text;--> statement-breakpoint
CREATE INDEX `traces_org_latency_idx` ON `traces` (`org_id`,`latency_ms`,`created_at`,`domain`,`model`);--> statement-breakpoint
CREATE INDEX `traces_org_eval_latency_idx` ON `traces` (`org_id`,`evaluation_latency_ms`,`created_at`,`domain`);--> statement-breakpoint
CREATE INDEX `traces_org_created_latency_idx` ON `traces` (`org_id`,`created_at`,`latency_ms`,`domain`);
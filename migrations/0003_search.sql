-- Search and analytics over traces (issue 7). Drizzle cannot express these, so they live here:
-- an FTS5 index over traces and the triggers that keep it, the analytics rollups and the similarity
-- buckets equal to the traces table. A trigger runs inside the statement that writes, updates or
-- deletes the trace, hence inside that statement's D1 batch: no writer can forget one.

-- External content: the index stores only tokens and reads text back from traces (snippets), so the
-- redacted text that traces holds is what is indexed. It is keyed by the traces rowid; after anything
-- that could renumber rowids (VACUUM, an import) run: INSERT INTO traces_fts(traces_fts) VALUES ('rebuild').
CREATE VIRTUAL TABLE traces_fts USING fts5(
  input, output, tool_text,
  content = 'traces', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO traces_fts(traces_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER traces_fts_insert AFTER INSERT ON traces BEGIN
  INSERT INTO traces_fts (rowid, input, output, tool_text) VALUES (new.rowid, new.input, new.output, new.tool_text);
END;
--> statement-breakpoint
CREATE TRIGGER traces_fts_delete AFTER DELETE ON traces BEGIN
  INSERT INTO traces_fts (traces_fts, rowid, input, output, tool_text)
    VALUES ('delete', old.rowid, old.input, old.output, old.tool_text);
END;
--> statement-breakpoint
CREATE TRIGGER traces_fts_update AFTER UPDATE OF input, output, tool_text ON traces BEGIN
  INSERT INTO traces_fts (traces_fts, rowid, input, output, tool_text)
    VALUES ('delete', old.rowid, old.input, old.output, old.tool_text);
  INSERT INTO traces_fts (rowid, input, output, tool_text) VALUES (new.rowid, new.input, new.output, new.tool_text);
END;
--> statement-breakpoint
-- Rollups and buckets of the traces already stored; from here on the triggers below keep them.
INSERT INTO trace_rollup_hourly (org_id, hour, domain, model, traces, input_tokens, output_tokens, cost_nanos, latency_count, evaluated, pass, fail, review, needs_review, risk_nanos, severity_none, severity_low, severity_medium, severity_high, severity_critical, stopped_tier1, stopped_tier2, stopped_tier3, stopped_tier4, judge_runs, tier1_cost_nanos, tier2_cost_nanos, tier3_cost_nanos, evaluation_latency_count)
SELECT org_id, created_at / 3600000, domain, coalesce(model, ''),
  sum(1),
  sum(coalesce(traces.input_tokens, 0)),
  sum(coalesce(traces.output_tokens, 0)),
  sum(CAST(round(coalesce(traces.cost_usd, 0) * 1e9) AS INTEGER)),
  sum(traces.latency_ms IS NOT NULL),
  sum(traces.verdict IS NOT NULL),
  sum(traces.verdict IS 'pass'),
  sum(traces.verdict IS 'fail'),
  sum(traces.verdict IS 'review'),
  sum(coalesce(traces.needs_review, 0)),
  sum(CAST(round(coalesce(traces.risk_score, 0) * 1e9) AS INTEGER)),
  sum(traces.severity IS 'none'),
  sum(traces.severity IS 'low'),
  sum(traces.severity IS 'medium'),
  sum(traces.severity IS 'high'),
  sum(traces.severity IS 'critical'),
  sum(traces.stop_tier IS 1),
  sum(traces.stop_tier IS 2),
  sum(traces.stop_tier IS 3),
  sum(traces.stop_tier IS 4),
  sum(coalesce(traces.judge_ran, 0)),
  sum(CAST(round(coalesce(json_extract(traces.tier_costs, '$[0]'), 0) * 1e9) AS INTEGER)),
  sum(CAST(round(coalesce(json_extract(traces.tier_costs, '$[1]'), 0) * 1e9) AS INTEGER)),
  sum(CAST(round(coalesce(json_extract(traces.tier_costs, '$[2]'), 0) * 1e9) AS INTEGER)),
  sum(traces.evaluation_latency_ms IS NOT NULL)
FROM traces GROUP BY org_id, created_at / 3600000, domain, coalesce(model, '');
--> statement-breakpoint
INSERT INTO rule_rollup_hourly (org_id, hour, rule, severity, traces)
SELECT traces.org_id, traces.created_at / 3600000, json_extract(value, '$.rule'), json_extract(value, '$.severity'), count(*)
FROM traces, json_each(traces.issue_rules)
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO trace_similarity_buckets (org_id, bucket, trace_id)
SELECT traces.org_id, column1 || ':' || substr(traces.minhash, column1 * 32 + 1, 32), traces.id
FROM traces, (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE traces.minhash IS NOT NULL;
--> statement-breakpoint
-- Hourly rollups: a trace adds its row when stored, and when a watched column changes (an evaluation
-- lands, a re-evaluation replaces it) subtracts its old row and adds its new one; a delete subtracts.
-- A redelivered evaluation writes the same values again, which nets to zero.
CREATE TRIGGER traces_rollup_insert AFTER INSERT ON traces BEGIN
  INSERT INTO trace_rollup_hourly (org_id, hour, domain, model, traces, input_tokens, output_tokens, cost_nanos, latency_count, evaluated, pass, fail, review, needs_review, risk_nanos, severity_none, severity_low, severity_medium, severity_high, severity_critical, stopped_tier1, stopped_tier2, stopped_tier3, stopped_tier4, judge_runs, tier1_cost_nanos, tier2_cost_nanos, tier3_cost_nanos, evaluation_latency_count)
    VALUES (new.org_id, new.created_at / 3600000, new.domain, coalesce(new.model, ''), 1, coalesce(new.input_tokens, 0), coalesce(new.output_tokens, 0), CAST(round(coalesce(new.cost_usd, 0) * 1e9) AS INTEGER), new.latency_ms IS NOT NULL, new.verdict IS NOT NULL, new.verdict IS 'pass', new.verdict IS 'fail', new.verdict IS 'review', coalesce(new.needs_review, 0), CAST(round(coalesce(new.risk_score, 0) * 1e9) AS INTEGER), new.severity IS 'none', new.severity IS 'low', new.severity IS 'medium', new.severity IS 'high', new.severity IS 'critical', new.stop_tier IS 1, new.stop_tier IS 2, new.stop_tier IS 3, new.stop_tier IS 4, coalesce(new.judge_ran, 0), CAST(round(coalesce(json_extract(new.tier_costs, '$[0]'), 0) * 1e9) AS INTEGER), CAST(round(coalesce(json_extract(new.tier_costs, '$[1]'), 0) * 1e9) AS INTEGER), CAST(round(coalesce(json_extract(new.tier_costs, '$[2]'), 0) * 1e9) AS INTEGER), new.evaluation_latency_ms IS NOT NULL)
    ON CONFLICT (org_id, hour, domain, model) DO UPDATE SET
      traces = traces + excluded.traces,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      cost_nanos = cost_nanos + excluded.cost_nanos,
      latency_count = latency_count + excluded.latency_count,
      evaluated = evaluated + excluded.evaluated,
      pass = pass + excluded.pass,
      fail = fail + excluded.fail,
      review = review + excluded.review,
      needs_review = needs_review + excluded.needs_review,
      risk_nanos = risk_nanos + excluded.risk_nanos,
      severity_none = severity_none + excluded.severity_none,
      severity_low = severity_low + excluded.severity_low,
      severity_medium = severity_medium + excluded.severity_medium,
      severity_high = severity_high + excluded.severity_high,
      severity_critical = severity_critical + excluded.severity_critical,
      stopped_tier1 = stopped_tier1 + excluded.stopped_tier1,
      stopped_tier2 = stopped_tier2 + excluded.stopped_tier2,
      stopped_tier3 = stopped_tier3 + excluded.stopped_tier3,
      stopped_tier4 = stopped_tier4 + excluded.stopped_tier4,
      judge_runs = judge_runs + excluded.judge_runs,
      tier1_cost_nanos = tier1_cost_nanos + excluded.tier1_cost_nanos,
      tier2_cost_nanos = tier2_cost_nanos + excluded.tier2_cost_nanos,
      tier3_cost_nanos = tier3_cost_nanos + excluded.tier3_cost_nanos,
      evaluation_latency_count = evaluation_latency_count + excluded.evaluation_latency_count;
  INSERT INTO rule_rollup_hourly (org_id, hour, rule, severity, traces)
    SELECT new.org_id, new.created_at / 3600000, json_extract(value, '$.rule'), json_extract(value, '$.severity'), 1
    FROM json_each(new.issue_rules) WHERE true
    ON CONFLICT (org_id, hour, rule, severity) DO UPDATE SET traces = traces + excluded.traces;
END;
--> statement-breakpoint
CREATE TRIGGER traces_rollup_delete AFTER DELETE ON traces BEGIN
  INSERT INTO trace_rollup_hourly (org_id, hour, domain, model, traces, input_tokens, output_tokens, cost_nanos, latency_count, evaluated, pass, fail, review, needs_review, risk_nanos, severity_none, severity_low, severity_medium, severity_high, severity_critical, stopped_tier1, stopped_tier2, stopped_tier3, stopped_tier4, judge_runs, tier1_cost_nanos, tier2_cost_nanos, tier3_cost_nanos, evaluation_latency_count)
    VALUES (old.org_id, old.created_at / 3600000, old.domain, coalesce(old.model, ''), -(1), -(coalesce(old.input_tokens, 0)), -(coalesce(old.output_tokens, 0)), -(CAST(round(coalesce(old.cost_usd, 0) * 1e9) AS INTEGER)), -(old.latency_ms IS NOT NULL), -(old.verdict IS NOT NULL), -(old.verdict IS 'pass'), -(old.verdict IS 'fail'), -(old.verdict IS 'review'), -(coalesce(old.needs_review, 0)), -(CAST(round(coalesce(old.risk_score, 0) * 1e9) AS INTEGER)), -(old.severity IS 'none'), -(old.severity IS 'low'), -(old.severity IS 'medium'), -(old.severity IS 'high'), -(old.severity IS 'critical'), -(old.stop_tier IS 1), -(old.stop_tier IS 2), -(old.stop_tier IS 3), -(old.stop_tier IS 4), -(coalesce(old.judge_ran, 0)), -(CAST(round(coalesce(json_extract(old.tier_costs, '$[0]'), 0) * 1e9) AS INTEGER)), -(CAST(round(coalesce(json_extract(old.tier_costs, '$[1]'), 0) * 1e9) AS INTEGER)), -(CAST(round(coalesce(json_extract(old.tier_costs, '$[2]'), 0) * 1e9) AS INTEGER)), -(old.evaluation_latency_ms IS NOT NULL))
    ON CONFLICT (org_id, hour, domain, model) DO UPDATE SET
      traces = traces + excluded.traces,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      cost_nanos = cost_nanos + excluded.cost_nanos,
      latency_count = latency_count + excluded.latency_count,
      evaluated = evaluated + excluded.evaluated,
      pass = pass + excluded.pass,
      fail = fail + excluded.fail,
      review = review + excluded.review,
      needs_review = needs_review + excluded.needs_review,
      risk_nanos = risk_nanos + excluded.risk_nanos,
      severity_none = severity_none + excluded.severity_none,
      severity_low = severity_low + excluded.severity_low,
      severity_medium = severity_medium + excluded.severity_medium,
      severity_high = severity_high + excluded.severity_high,
      severity_critical = severity_critical + excluded.severity_critical,
      stopped_tier1 = stopped_tier1 + excluded.stopped_tier1,
      stopped_tier2 = stopped_tier2 + excluded.stopped_tier2,
      stopped_tier3 = stopped_tier3 + excluded.stopped_tier3,
      stopped_tier4 = stopped_tier4 + excluded.stopped_tier4,
      judge_runs = judge_runs + excluded.judge_runs,
      tier1_cost_nanos = tier1_cost_nanos + excluded.tier1_cost_nanos,
      tier2_cost_nanos = tier2_cost_nanos + excluded.tier2_cost_nanos,
      tier3_cost_nanos = tier3_cost_nanos + excluded.tier3_cost_nanos,
      evaluation_latency_count = evaluation_latency_count + excluded.evaluation_latency_count;
  INSERT INTO rule_rollup_hourly (org_id, hour, rule, severity, traces)
    SELECT old.org_id, old.created_at / 3600000, json_extract(value, '$.rule'), json_extract(value, '$.severity'), -1
    FROM json_each(old.issue_rules) WHERE true
    ON CONFLICT (org_id, hour, rule, severity) DO UPDATE SET traces = traces + excluded.traces;
END;
--> statement-breakpoint
CREATE TRIGGER traces_rollup_update AFTER UPDATE OF org_id, created_at, domain, model, input_tokens, output_tokens, cost_usd, latency_ms, verdict, severity, risk_score, needs_review, stop_tier, judge_ran, evaluation_latency_ms, tier_costs, issue_rules ON traces BEGIN
  INSERT INTO trace_rollup_hourly (org_id, hour, domain, model, traces, input_tokens, output_tokens, cost_nanos, latency_count, evaluated, pass, fail, review, needs_review, risk_nanos, severity_none, severity_low, severity_medium, severity_high, severity_critical, stopped_tier1, stopped_tier2, stopped_tier3, stopped_tier4, judge_runs, tier1_cost_nanos, tier2_cost_nanos, tier3_cost_nanos, evaluation_latency_count)
    VALUES (old.org_id, old.created_at / 3600000, old.domain, coalesce(old.model, ''), -(1), -(coalesce(old.input_tokens, 0)), -(coalesce(old.output_tokens, 0)), -(CAST(round(coalesce(old.cost_usd, 0) * 1e9) AS INTEGER)), -(old.latency_ms IS NOT NULL), -(old.verdict IS NOT NULL), -(old.verdict IS 'pass'), -(old.verdict IS 'fail'), -(old.verdict IS 'review'), -(coalesce(old.needs_review, 0)), -(CAST(round(coalesce(old.risk_score, 0) * 1e9) AS INTEGER)), -(old.severity IS 'none'), -(old.severity IS 'low'), -(old.severity IS 'medium'), -(old.severity IS 'high'), -(old.severity IS 'critical'), -(old.stop_tier IS 1), -(old.stop_tier IS 2), -(old.stop_tier IS 3), -(old.stop_tier IS 4), -(coalesce(old.judge_ran, 0)), -(CAST(round(coalesce(json_extract(old.tier_costs, '$[0]'), 0) * 1e9) AS INTEGER)), -(CAST(round(coalesce(json_extract(old.tier_costs, '$[1]'), 0) * 1e9) AS INTEGER)), -(CAST(round(coalesce(json_extract(old.tier_costs, '$[2]'), 0) * 1e9) AS INTEGER)), -(old.evaluation_latency_ms IS NOT NULL))
    ON CONFLICT (org_id, hour, domain, model) DO UPDATE SET
      traces = traces + excluded.traces,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      cost_nanos = cost_nanos + excluded.cost_nanos,
      latency_count = latency_count + excluded.latency_count,
      evaluated = evaluated + excluded.evaluated,
      pass = pass + excluded.pass,
      fail = fail + excluded.fail,
      review = review + excluded.review,
      needs_review = needs_review + excluded.needs_review,
      risk_nanos = risk_nanos + excluded.risk_nanos,
      severity_none = severity_none + excluded.severity_none,
      severity_low = severity_low + excluded.severity_low,
      severity_medium = severity_medium + excluded.severity_medium,
      severity_high = severity_high + excluded.severity_high,
      severity_critical = severity_critical + excluded.severity_critical,
      stopped_tier1 = stopped_tier1 + excluded.stopped_tier1,
      stopped_tier2 = stopped_tier2 + excluded.stopped_tier2,
      stopped_tier3 = stopped_tier3 + excluded.stopped_tier3,
      stopped_tier4 = stopped_tier4 + excluded.stopped_tier4,
      judge_runs = judge_runs + excluded.judge_runs,
      tier1_cost_nanos = tier1_cost_nanos + excluded.tier1_cost_nanos,
      tier2_cost_nanos = tier2_cost_nanos + excluded.tier2_cost_nanos,
      tier3_cost_nanos = tier3_cost_nanos + excluded.tier3_cost_nanos,
      evaluation_latency_count = evaluation_latency_count + excluded.evaluation_latency_count;
  INSERT INTO rule_rollup_hourly (org_id, hour, rule, severity, traces)
    SELECT old.org_id, old.created_at / 3600000, json_extract(value, '$.rule'), json_extract(value, '$.severity'), -1
    FROM json_each(old.issue_rules) WHERE true
    ON CONFLICT (org_id, hour, rule, severity) DO UPDATE SET traces = traces + excluded.traces;
  INSERT INTO trace_rollup_hourly (org_id, hour, domain, model, traces, input_tokens, output_tokens, cost_nanos, latency_count, evaluated, pass, fail, review, needs_review, risk_nanos, severity_none, severity_low, severity_medium, severity_high, severity_critical, stopped_tier1, stopped_tier2, stopped_tier3, stopped_tier4, judge_runs, tier1_cost_nanos, tier2_cost_nanos, tier3_cost_nanos, evaluation_latency_count)
    VALUES (new.org_id, new.created_at / 3600000, new.domain, coalesce(new.model, ''), 1, coalesce(new.input_tokens, 0), coalesce(new.output_tokens, 0), CAST(round(coalesce(new.cost_usd, 0) * 1e9) AS INTEGER), new.latency_ms IS NOT NULL, new.verdict IS NOT NULL, new.verdict IS 'pass', new.verdict IS 'fail', new.verdict IS 'review', coalesce(new.needs_review, 0), CAST(round(coalesce(new.risk_score, 0) * 1e9) AS INTEGER), new.severity IS 'none', new.severity IS 'low', new.severity IS 'medium', new.severity IS 'high', new.severity IS 'critical', new.stop_tier IS 1, new.stop_tier IS 2, new.stop_tier IS 3, new.stop_tier IS 4, coalesce(new.judge_ran, 0), CAST(round(coalesce(json_extract(new.tier_costs, '$[0]'), 0) * 1e9) AS INTEGER), CAST(round(coalesce(json_extract(new.tier_costs, '$[1]'), 0) * 1e9) AS INTEGER), CAST(round(coalesce(json_extract(new.tier_costs, '$[2]'), 0) * 1e9) AS INTEGER), new.evaluation_latency_ms IS NOT NULL)
    ON CONFLICT (org_id, hour, domain, model) DO UPDATE SET
      traces = traces + excluded.traces,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      cost_nanos = cost_nanos + excluded.cost_nanos,
      latency_count = latency_count + excluded.latency_count,
      evaluated = evaluated + excluded.evaluated,
      pass = pass + excluded.pass,
      fail = fail + excluded.fail,
      review = review + excluded.review,
      needs_review = needs_review + excluded.needs_review,
      risk_nanos = risk_nanos + excluded.risk_nanos,
      severity_none = severity_none + excluded.severity_none,
      severity_low = severity_low + excluded.severity_low,
      severity_medium = severity_medium + excluded.severity_medium,
      severity_high = severity_high + excluded.severity_high,
      severity_critical = severity_critical + excluded.severity_critical,
      stopped_tier1 = stopped_tier1 + excluded.stopped_tier1,
      stopped_tier2 = stopped_tier2 + excluded.stopped_tier2,
      stopped_tier3 = stopped_tier3 + excluded.stopped_tier3,
      stopped_tier4 = stopped_tier4 + excluded.stopped_tier4,
      judge_runs = judge_runs + excluded.judge_runs,
      tier1_cost_nanos = tier1_cost_nanos + excluded.tier1_cost_nanos,
      tier2_cost_nanos = tier2_cost_nanos + excluded.tier2_cost_nanos,
      tier3_cost_nanos = tier3_cost_nanos + excluded.tier3_cost_nanos,
      evaluation_latency_count = evaluation_latency_count + excluded.evaluation_latency_count;
  INSERT INTO rule_rollup_hourly (org_id, hour, rule, severity, traces)
    SELECT new.org_id, new.created_at / 3600000, json_extract(value, '$.rule'), json_extract(value, '$.severity'), 1
    FROM json_each(new.issue_rules) WHERE true
    ON CONFLICT (org_id, hour, rule, severity) DO UPDATE SET traces = traces + excluded.traces;
END;
--> statement-breakpoint
-- LSH buckets of the MinHash signature: 8 bands of 32 hex characters (src/eval/similarity.ts).
CREATE TRIGGER traces_similarity_insert AFTER INSERT ON traces BEGIN
  INSERT INTO trace_similarity_buckets (org_id, bucket, trace_id)
    SELECT new.org_id, column1 || ':' || substr(new.minhash, column1 * 32 + 1, 32), new.id
    FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE new.minhash IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER traces_similarity_delete AFTER DELETE ON traces BEGIN
  DELETE FROM trace_similarity_buckets
    WHERE org_id = old.org_id AND trace_id = old.id
      AND bucket IN (SELECT column1 || ':' || substr(old.minhash, column1 * 32 + 1, 32) FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)));
END;
--> statement-breakpoint
CREATE TRIGGER traces_similarity_update AFTER UPDATE OF org_id, minhash ON traces BEGIN
  DELETE FROM trace_similarity_buckets
    WHERE org_id = old.org_id AND trace_id = old.id
      AND bucket IN (SELECT column1 || ':' || substr(old.minhash, column1 * 32 + 1, 32) FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)));
  INSERT INTO trace_similarity_buckets (org_id, bucket, trace_id)
    SELECT new.org_id, column1 || ':' || substr(new.minhash, column1 * 32 + 1, 32), new.id
    FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) WHERE new.minhash IS NOT NULL;
END;

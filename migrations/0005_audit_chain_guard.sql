-- The audit chain's own guard: an event must follow the organization's stored event whose hash it
-- names as prev_hash (or be its first, after the genesis hash). Writers cache chain heads per isolate
-- (src/db/audit.ts); should a cached head ever be stale, its batch aborts here, rolls back whole and
-- is retried against a fresh read, so the chain can never fork or skip a number.
CREATE TRIGGER audit_events_chain_guard BEFORE INSERT ON audit_events
WHEN NOT (
  (NEW.seq = 1 AND NEW.prev_hash = '0000000000000000000000000000000000000000000000000000000000000000')
  OR EXISTS (
    SELECT 1 FROM audit_events
    WHERE org_id = NEW.org_id AND seq = NEW.seq - 1 AND hash = NEW.prev_hash
  )
)
BEGIN
  SELECT RAISE(ABORT, 'audit_events: the event does not follow the chain head (SQLITE_CONSTRAINT)');
END;

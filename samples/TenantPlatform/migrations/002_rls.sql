-- Row-level security on every tenant table, FORCEd so that it applies to the owner too (docs/postgres-behaviour.md row 11).
-- The policies read the transaction-local setting app.tenant_id; NULLIF keeps a connection whose setting was
-- reset ('' after a transaction-local set ended) at "no tenant" instead of a uuid cast error.
DO $rls$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contacts', 'transactions', 'ai_memories', 'todo_items', 'approvals', 'idempotency_keys', 'background_jobs']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
            WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))$p$, t);
    END LOOP;
END
$rls$;

-- Spelled out for tools that read migrations statement by statement (TenantGuard learns its tenant tables here).
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_memories ENABLE ROW LEVEL SECURITY;
ALTER TABLE todo_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE background_jobs ENABLE ROW LEVEL SECURITY;

-- tenant_app: what the API connects as. No BYPASSRLS: every row it sees passes the policies.
-- tenant_worker: the job runner. BYPASSRLS to claim jobs of any tenant; it then drops to tenant_app
-- (SET LOCAL ROLE) and sets the job's tenant before touching tenant data.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenant_app') THEN
        CREATE ROLE tenant_app LOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tenant_worker') THEN
        CREATE ROLE tenant_worker LOGIN NOSUPERUSER BYPASSRLS;
    END IF;
END
$roles$;

GRANT SELECT ON tenants TO tenant_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts, transactions, ai_memories, todo_items, approvals, idempotency_keys, background_jobs TO tenant_app;
GRANT USAGE ON SEQUENCE background_jobs_id_seq TO tenant_app;
GRANT tenant_app TO tenant_worker;
GRANT SELECT, UPDATE ON background_jobs TO tenant_worker;

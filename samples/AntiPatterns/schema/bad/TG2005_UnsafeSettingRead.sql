-- The policy reads the setting without missing_ok and casts it without NULLIF: a connection that never set it fails
-- with 42704, one that set it in an earlier transaction (value '') fails with 22P02.
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT current_setting('app.tenant_id')::uuid));
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO schema_app;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

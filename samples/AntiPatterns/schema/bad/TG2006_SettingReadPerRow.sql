-- The policy is right, but its setting read is not a scalar subquery: it is evaluated for every row the policy filters.
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO schema_app;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

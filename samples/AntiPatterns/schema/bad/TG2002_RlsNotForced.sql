-- Row-level security and a tenant policy, but not forced: the owner (who runs these migrations, and here also the
-- application) bypasses the policy.
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO schema_app;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

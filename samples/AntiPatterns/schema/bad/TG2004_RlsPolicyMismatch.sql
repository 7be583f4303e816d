-- A tenant policy is created, but row-level security is never enabled on the table: the policy does nothing.
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO schema_app;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

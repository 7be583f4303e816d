-- The table is isolated, but every role may query it: any role that can log in sets whichever tenant it likes.
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO PUBLIC;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

-- Both tables are isolated by row-level security, but the invoice's contact is referenced by id alone: the foreign-key
-- check does not apply row-level security, so a tenant can attach another tenant's contact.
CREATE TABLE contacts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL);
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY contacts_tenant ON contacts USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX ON contacts (tenant_id);
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, contact_id uuid REFERENCES contacts (id), total numeric NOT NULL);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts, invoices TO schema_app;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

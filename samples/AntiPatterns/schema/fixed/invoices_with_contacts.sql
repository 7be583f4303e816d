-- The invoice references its contact together with the tenant: another tenant's contact does not exist for the key.
CREATE TABLE contacts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, UNIQUE (tenant_id, id));
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY contacts_tenant ON contacts USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE TABLE invoices (
    id serial PRIMARY KEY,
    tenant_id uuid NOT NULL,
    contact_id uuid,
    total numeric NOT NULL,
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX ON invoices (tenant_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts, invoices TO schema_app;
GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;

-- The same two migrations, with the whole policy name built inside %I: both policies exist.
CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
CREATE TABLE "InvoiceLines" (id serial PRIMARY KEY, tenant_id uuid NOT NULL, invoice_id int NOT NULL);
CREATE INDEX ON invoices (tenant_id);
CREATE INDEX ON "InvoiceLines" (tenant_id);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceLines" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InvoiceLines" FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices, "InvoiceLines" TO schema_app;
-- migration 2
DO $rls$
DECLARE tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['invoices', 'InvoiceLines'] LOOP
        EXECUTE format('CREATE POLICY %I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', 'tenant_isolation_' || tbl, tbl);
    END LOOP;
END $rls$;

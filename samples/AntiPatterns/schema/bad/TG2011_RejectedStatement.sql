-- Two migrations. The first creates the tables and puts them under row-level security; the second creates each
-- table's tenant policy in a DO block that glues a prefix to %I. format() quotes "InvoiceLines" (EF Core's naming),
-- PostgreSQL rejects CREATE POLICY tenant_isolation_"InvoiceLines" with 42601, and the whole block is rolled back:
-- invoices gets no policy either, and with row-level security forced every tenant sees none of its rows.
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
        EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', tbl, tbl);
    END LOOP;
END $rls$;

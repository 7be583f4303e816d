-- A materialized view takes no policy and no security_invoker: only its owner reads it, and the application reads it
-- through a view that filters by the tenant setting (security_barrier keeps the filter ahead of the caller's own).
CREATE MATERIALIZED VIEW invoice_archive AS SELECT id, tenant_id, total FROM invoices; -- tenantguard:disable TG2008 only the owner reads it; the application reads my_invoice_archive
CREATE VIEW my_invoice_archive WITH (security_barrier) AS
    SELECT id, tenant_id, total FROM invoice_archive WHERE tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT ON my_invoice_archive TO schema_app;

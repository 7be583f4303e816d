-- A view over a tenant table checks the policies of the role that queries it (PostgreSQL 15 and later).
CREATE VIEW invoice_list WITH (security_invoker = true) AS SELECT id, tenant_id, total FROM invoices;
GRANT SELECT ON invoice_list TO schema_app;

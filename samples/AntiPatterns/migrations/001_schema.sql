CREATE TABLE contacts (
    id serial PRIMARY KEY,
    tenant_id text NOT NULL DEFAULT current_setting('app.tenant_id', true),
    name text NOT NULL,
    meta jsonb
);
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY contacts_tenant ON contacts
    USING (tenant_id = (SELECT current_setting('app.tenant_id', true)))
    WITH CHECK (tenant_id = (SELECT current_setting('app.tenant_id', true)));

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ap_app') THEN
        CREATE ROLE ap_app LOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
END
$roles$;
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts TO ap_app;
GRANT USAGE ON SEQUENCE contacts_id_seq TO ap_app;

using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Catalog
{
    /// <summary>The policy catalog read from .sql migrations: each statement it understands, in migration order.</summary>
    public class PolicyCatalogTests
    {
        internal static PolicyCatalog Read(params (string Path, string Sql)[] files)
        {
            var compilation = CSharpCompilation.Create("empty");
            var additional = files.Select(f => (AdditionalText)new AdditionalFileText(f.Path, f.Sql)).ToImmutableArray();
            return MigrationSources.Read(compilation, additional, default);
        }

        private static PolicyCatalog Read(string sql) => Read(("/migrations/001.sql", sql));

        [Fact]
        public void Create_policy_with_every_clause()
        {
            var catalog = Read("""
                CREATE TABLE invoices (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, total numeric);
                ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                CREATE POLICY invoices_admin ON invoices AS RESTRICTIVE FOR UPDATE TO app_user, app_admin
                    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND current_setting('app.role', true) = 'owner_admin')
                    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
                """);

            var table = catalog.Table("invoices")!;
            Assert.True(table.RlsEnabled);
            Assert.False(table.RlsForced);
            Assert.Equal(new[] { "id", "tenant_id", "total" }, table.Columns);
            var policy = Assert.Single(table.Policies);
            Assert.Equal("invoices_admin", policy.Name);
            Assert.Equal(PolicyCommand.Update, policy.Command);
            Assert.False(policy.Permissive);
            Assert.Equal(new[] { "app_user", "app_admin" }, policy.Roles);
            Assert.Equal(new[] { "app.tenant_id", "app.role" }, policy.Using!.Settings);
            Assert.Equal("tenant_id", policy.Using.Columns["app.tenant_id"]);
            Assert.Equal("owner_admin", policy.Using.Literals["app.role"]);
            Assert.Equal(new[] { "app.tenant_id" }, policy.WithCheck!.Settings);
            Assert.Contains("current_setting('app.role', true) = 'owner_admin'", policy.Using.Text);
            Assert.Equal(new[] { "app.role", "app.tenant_id" }, catalog.PolicySettings.OrderBy(s => s));
        }

        [Fact]
        public void A_setting_read_once_in_a_scalar_subquery_is_read_like_a_direct_one()
        {
            var policy = Read("CREATE POLICY p ON t USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid) AND role = (SELECT current_setting('app.role', true)) OR 'admin' = (select current_setting('app.role', true)));").Table("t")!.Policies.Single();
            Assert.Equal(new[] { "app.tenant_id", "app.role" }, policy.Settings);
            Assert.Equal("tenant_id", policy.Using!.Columns["app.tenant_id"]);
            Assert.Equal("role", policy.Using.Columns["app.role"]);
        }

        [Fact]
        public void Policy_defaults_are_permissive_for_all_commands_and_public()
        {
            var policy = Read("CREATE POLICY p ON t USING (org_id = current_setting('app.current_org')::uuid);").Table("t")!.Policies.Single();
            Assert.True(policy.Permissive);
            Assert.Equal(PolicyCommand.All, policy.Command);
            Assert.Empty(policy.Roles);
            Assert.Equal("org_id", policy.Using!.Columns["app.current_org"]);
            Assert.Null(policy.WithCheck);
            Assert.Contains("t", Read("CREATE POLICY p ON t USING (true);").RlsTables);
        }

        [Fact]
        public void Always_true_and_opaque_expressions()
        {
            var catalog = Read("""
                CREATE POLICY a ON t USING (true);
                CREATE POLICY b ON t USING ((1 = 1));
                CREATE POLICY c ON t USING (owner = auth.uid());
                """);
            var policies = catalog.Table("t")!.Policies;
            Assert.True(policies[0].Using!.IsAlwaysTrue);
            Assert.True(policies[1].Using!.IsAlwaysTrue);
            Assert.True(policies[2].Using!.IsOpaque);
            Assert.Equal(new[] { "auth.uid" }, policies[2].Using!.Functions);
        }

        [Fact]
        public void Or_branches_are_alternatives_and_shared_rows_are_not_one()
        {
            var catalog = Read("""
                CREATE POLICY grain_tenant ON "Grain" FOR ALL USING (
                    "TenantId" IS NULL OR
                    "TenantId" = current_setting('app.current_tenant_id')::uuid OR
                    EXISTS (SELECT 1 FROM user_tenant ut WHERE ut.user_id = current_setting('app.current_user_id')::uuid AND ut.tenant_id = "Grain"."TenantId"));
                CREATE POLICY both ON t USING ((a = current_setting('x.a') OR b = current_setting('x.b')) AND c = current_setting('x.c'));
                """);
            Assert.Equal(
                new[] { "app.current_tenant_id", "app.current_user_id" },
                catalog.Table("Grain")!.Policies.Single().Using!.Alternatives.Select(a => Assert.Single(a)));
            Assert.Equal(
                new[] { "x.a|x.c", "x.b|x.c" },
                catalog.Table("t")!.Policies.Single().Using!.Alternatives.Select(a => string.Join("|", a)));
        }

        [Fact]
        public void A_branch_through_an_unknown_function_asks_for_no_particular_setting()
        {
            var expression = Read("CREATE POLICY p ON t USING (owner = auth.uid() OR tenant_id = current_setting('app.tenant_id')::uuid);").Table("t")!.Policies.Single().Using!;
            Assert.Empty(expression.Alternatives);
            Assert.Equal(new[] { "app.tenant_id" }, expression.Settings);
        }

        [Fact]
        public void Function_of_the_migrations_lends_its_settings_to_the_policy()
        {
            var catalog = Read("""
                CREATE OR REPLACE FUNCTION app.current_tenant() RETURNS uuid LANGUAGE sql STABLE
                AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
                CREATE POLICY p ON contacts USING (tenant_id = app.current_tenant());
                """);
            var expression = catalog.Table("contacts")!.Policies.Single().Using!;
            Assert.Equal(new[] { "app.tenant_id" }, expression.Settings);
            Assert.Equal(new[] { "app.tenant_id" }, Assert.Single(expression.Alternatives));
            Assert.False(expression.IsOpaque);
        }

        [Fact]
        public void Enable_disable_force_and_no_force_in_order()
        {
            var catalog = Read(
                ("/m/001_init.sql", "ALTER TABLE IF EXISTS ONLY public.a ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\nALTER TABLE b ENABLE ROW LEVEL SECURITY;"),
                ("/m/002_relax.sql", "ALTER TABLE a NO FORCE ROW LEVEL SECURITY;\nALTER TABLE b DISABLE ROW LEVEL SECURITY;"));
            Assert.True(catalog.Table("a")!.RlsEnabled);
            Assert.False(catalog.Table("a")!.RlsForced);
            Assert.Equal("public", catalog.Table("a")!.Schema);
            Assert.False(catalog.Table("b")!.RlsEnabled);
            Assert.Equal(new[] { "a" }, catalog.RlsTables);
        }

        [Fact]
        public void Files_are_read_in_file_name_order_whatever_order_they_come_in()
        {
            var catalog = Read(
                ("/m/002_drop.sql", "DROP POLICY IF EXISTS p ON t;"),
                ("/m/001_create.sql", "CREATE POLICY p ON t USING (tenant_id = current_setting('app.tenant_id'));"));
            Assert.Empty(catalog.Table("t")!.Policies);
        }

        [Fact]
        public void Alter_policy_changes_expression_roles_and_name()
        {
            var catalog = Read("""
                CREATE POLICY p ON t USING (tenant_id = current_setting('app.tenant_id', true));
                ALTER POLICY p ON t TO app_user USING (org_id = current_setting('app.org', true));
                ALTER POLICY p ON t RENAME TO org_isolation;
                """);
            var policy = catalog.Table("t")!.Policies.Single();
            Assert.Equal("org_isolation", policy.Name);
            Assert.Equal(new[] { "app_user" }, policy.Roles);
            Assert.Equal(new[] { "app.org" }, policy.Settings);
        }

        [Fact]
        public void Renamed_table_keeps_its_policies()
        {
            var catalog = Read("""
                CREATE TABLE customers (id int, tenant_id uuid);
                ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
                CREATE POLICY p ON customers USING (tenant_id = current_setting('app.tenant_id')::uuid);
                ALTER TABLE customers RENAME TO clients;
                ALTER TABLE clients RENAME COLUMN tenant_id TO org_id;
                """);
            Assert.Null(catalog.Table("customers"));
            var table = catalog.Table("clients")!;
            Assert.Single(table.Policies);
            Assert.Equal(new[] { "id", "org_id" }, table.Columns);
        }

        [Fact]
        public void Quoted_and_qualified_names()
        {
            var catalog = Read("""
                ALTER TABLE "Billing"."Invoice Lines" ENABLE ROW LEVEL SECURITY;
                CREATE POLICY "Tenant Isolation" ON "Billing"."Invoice Lines" USING ("TenantId" = current_setting('app.tenant_id')::uuid);
                """);
            var table = catalog.Table("Invoice Lines")!;
            Assert.Equal("Billing", table.Schema);
            Assert.Equal("Tenant Isolation", table.Policies.Single().Name);
            Assert.Equal("TenantId", table.Policies.Single().Using!.Columns["app.tenant_id"]);
        }

        [Fact]
        public void Do_block_with_execute_of_a_literal()
        {
            var catalog = Read("""
                DO $$
                BEGIN
                    EXECUTE 'ALTER TABLE payments ENABLE ROW LEVEL SECURITY';
                    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 'payments_tenant') THEN
                        CREATE POLICY payments_tenant ON payments USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
                    END IF;
                END
                $$;
                """);
            var table = catalog.Table("payments")!;
            Assert.True(table.RlsEnabled);
            Assert.Equal("payments_tenant", table.Policies.Single().Name);
        }

        [Fact]
        public void Nested_dollar_quotes_and_doubled_quotes()
        {
            var catalog = Read("""
                DO $outer$
                BEGIN
                    EXECUTE $inner$CREATE POLICY p ON notes USING (tenant_id = current_setting('app.tenant_id'))$inner$;
                    EXECUTE 'CREATE POLICY q ON notes FOR INSERT WITH CHECK (kind = ''memo'' AND tenant_id = current_setting(''app.tenant_id''))';
                END
                $outer$;
                """);
            var policies = catalog.Table("notes")!.Policies;
            Assert.Equal(new[] { "p", "q" }, policies.Select(p => p.Name));
            Assert.Equal(new[] { "app.tenant_id" }, policies[1].WithCheck!.Settings);
        }

        [Fact]
        public void Execute_format_with_literal_arguments_and_array_loops()
        {
            var catalog = Read("""
                DO $$
                DECLARE t text;
                BEGIN
                    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', 'audit_log');
                    FOREACH t IN ARRAY ARRAY['orders', 'order_lines'] LOOP
                        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
                        EXECUTE format('CREATE POLICY %1$s_tenant ON %1$I USING (tenant_id = current_setting(%2$L, true)::uuid)', t, 'app.tenant_id');
                    END LOOP;
                END $$;
                """);
            Assert.True(catalog.Table("audit_log")!.RlsEnabled);
            Assert.True(catalog.Table("orders")!.RlsEnabled);
            Assert.Equal("order_lines_tenant", catalog.Table("order_lines")!.Policies.Single().Name);
            Assert.Empty(catalog.Problems);
        }

        [Fact]
        public void Execute_of_concatenations_of_loop_variables_quote_ident_and_literals()
        {
            var catalog = Read("""
                CREATE TABLE orders (id uuid, tenant_id uuid);
                CREATE TABLE order_lines (id uuid, tenant_id uuid);
                DO $$
                DECLARE t text;
                BEGIN
                    FOREACH t IN ARRAY ARRAY['orders', 'order_lines'] LOOP
                        EXECUTE 'ALTER TABLE ' || quote_ident(t) || ' ENABLE ROW LEVEL SECURITY';
                        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
                        EXECUTE format('CREATE POLICY %I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(%L, true), '''')::uuid))', t || '_tenant', t, 'app.tenant_id');
                    END LOOP;
                END $$;
                """);
            Assert.True(catalog.Table("orders")!.RlsForced);
            Assert.Equal("orders_tenant", catalog.Table("orders")!.Policies.Single().Name);
            Assert.Equal("order_lines_tenant", catalog.Table("order_lines")!.Policies.Single().Name);
            Assert.Equal(new[] { "app.tenant_id" }, catalog.Table("order_lines")!.Policies.Single().Settings);
            Assert.Empty(catalog.Problems);
        }

        [Fact]
        public void A_do_block_postgresql_rejects_leaves_nothing_behind()
        {
            var catalog = Read("""
                CREATE TABLE "Companies" (id uuid, tenant_id uuid);
                ALTER TABLE "Companies" ENABLE ROW LEVEL SECURITY;
                DO $$
                DECLARE tbl text;
                BEGIN
                    FOREACH tbl IN ARRAY ARRAY['Companies'] LOOP
                        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tbl);
                        EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (true)', tbl, tbl);
                    END LOOP;
                END $$;
                """);
            var companies = catalog.Table("Companies")!;
            Assert.True(companies.RlsEnabled);
            Assert.False(companies.RlsForced);
            Assert.Empty(companies.Policies);
            Assert.Equal("CREATE POLICY tenant_isolation_\"Companies\" ON \"Companies\" USING (true)", Assert.Single(catalog.Rejections).Sql);
            Assert.Empty(catalog.Problems);
        }

        [Fact]
        public void A_sql_file_in_one_transaction_is_rolled_back_with_the_statement_postgresql_rejects()
        {
            var catalog = Read(
                ("/migrations/001.sql", "CREATE TABLE invoices (id uuid, tenant_id uuid);"),
                ("/migrations/002.sql", """
                    BEGIN;
                    ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                    CREATE TABLE "Companies" (id uuid, tenant_id uuid);
                    DO $do$ BEGIN EXECUTE format('CREATE POLICY p_%I ON %I USING (true)', 'Companies', 'Companies'); END $do$;
                    COMMIT;
                    """),
                ("/migrations/003.sql", "CREATE TABLE notes (id uuid, tenant_id uuid);"));
            Assert.False(catalog.Table("invoices")!.RlsEnabled);
            Assert.Null(catalog.Table("Companies"));
            Assert.NotNull(catalog.Table("notes"));
            Assert.Equal("sql:/migrations/002.sql", Assert.Single(catalog.Rejections).Unit);
            Assert.Equal(3, catalog.Documents);
        }

        [Fact]
        public void Functions_resolve_as_the_default_search_path_does()
        {
            var catalog = Read("""
                CREATE FUNCTION audit.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('audit.tenant', true), '')::uuid $f$;
                CREATE FUNCTION app.only_here() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.org', true), '')::uuid $f$;
                CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $f$;
                CREATE TABLE documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
                CREATE POLICY bare ON documents USING (tenant_id = current_tenant_id());
                CREATE POLICY audit ON documents USING (tenant_id = audit.current_tenant_id());
                CREATE POLICY qualified ON documents USING (tenant_id = public.current_tenant_id());
                CREATE POLICY elsewhere ON documents USING (tenant_id = only_here());
                """);
            var policies = catalog.Table("documents")!.Policies.ToDictionary(p => p.Name, p => p.Settings.Single());
            Assert.Equal("app.tenant_id", policies["bare"]);
            Assert.Equal("audit.tenant", policies["audit"]);
            Assert.Equal("app.tenant_id", policies["qualified"]);
            Assert.Equal("app.org", policies["elsewhere"]); // no public function of that name: the one schema's answers
        }

        [Fact]
        public void Execute_format_with_a_dollar_quoted_format_string()
        {
            var catalog = Read("""
                DO $rls$
                DECLARE t text;
                BEGIN
                    FOREACH t IN ARRAY ARRAY['orders', 'order_lines'] LOOP
                        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
                        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                            USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))$p$, t);
                    END LOOP;
                END
                $rls$;
                """);
            Assert.Equal("tenant_isolation", catalog.Table("orders")!.Policies.Single().Name);
            Assert.Equal("app.tenant_id", catalog.Table("order_lines")!.Policies.Single().Settings.Single());
            Assert.Empty(catalog.Problems);
        }

        [Fact]
        public void Execute_with_a_table_known_only_at_run_time_is_a_problem_with_its_line()
        {
            var catalog = Read("""
                CREATE TABLE a (id int);
                DO $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', r.tablename);
                    END LOOP;
                END $$;
                """);
            var problem = Assert.Single(catalog.Problems);
            Assert.Contains("r.tablename", problem.Reason);
            Assert.Equal(5, problem.Location!.GetLineSpan().StartLinePosition.Line);
            Assert.Empty(catalog.RlsTables);
        }

        private const string HelperFunction = """
            CREATE OR REPLACE FUNCTION create_tenant_rls_policy(table_name text)
            RETURNS void AS $$
            BEGIN
                EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
                EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', $1);
                EXECUTE format(
                    'CREATE POLICY tenant_isolation_policy ON %I
                     USING (tenant_id = NULLIF(current_setting(''app.current_tenant_id'', true), '''')::uuid)',
                    table_name);
            END;
            $$ LANGUAGE plpgsql;

            """;

        [Fact]
        public void Helper_function_is_read_at_each_call_with_literal_arguments()
        {
            var catalog = Read(HelperFunction + """
                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'tenant_users') THEN
                        PERFORM create_tenant_rls_policy('tenant_users');
                    END IF;
                END $$;
                SELECT create_tenant_rls_policy('invoices');
                """);
            Assert.Empty(catalog.Problems);
            Assert.Equal(new[] { "invoices", "tenant_users" }, catalog.RlsTables.OrderBy(t => t));
            Assert.True(catalog.Table("invoices")!.RlsForced);
            Assert.Equal(new[] { "app.current_tenant_id" }, catalog.Table("tenant_users")!.Policies.Single().Settings);
        }

        [Fact]
        public void Helper_function_called_with_a_run_time_argument_is_a_problem_at_the_call()
        {
            var catalog = Read(HelperFunction + """
                DO $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT tablename FROM pg_tables LOOP
                        PERFORM create_tenant_rls_policy(r.tablename);
                    END LOOP;
                END $$;
                """);
            var problem = Assert.Single(catalog.Problems);
            Assert.Contains("'create_tenant_rls_policy' is called with an argument known only at run time", problem.Reason);
            Assert.Empty(catalog.RlsTables);
        }

        [Fact]
        public void Keys_indexes_views_grants_and_roles()
        {
            var catalog = Read("""
                CREATE TABLE contacts (id uuid, tenant_id uuid, PRIMARY KEY (tenant_id, id));
                CREATE TABLE deals (
                    id uuid PRIMARY KEY,
                    tenant_id uuid NOT NULL,
                    contact_id uuid REFERENCES contacts (id),
                    CONSTRAINT deals_contact FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
                );
                ALTER TABLE deals ADD CONSTRAINT deals_owner FOREIGN KEY (owner_id) REFERENCES users;
                CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS deals_tenant ON deals USING btree (tenant_id, lower(name));
                CREATE VIEW deal_summary WITH (security_invoker = true) AS SELECT d.id FROM deals d JOIN contacts c ON c.id = d.contact_id;
                CREATE VIEW open_deals AS SELECT * FROM deals;
                ALTER VIEW open_deals SET (security_invoker = on);
                GRANT SELECT, INSERT ON TABLE deals, contacts TO app_user;
                CREATE ROLE app_user LOGIN NOBYPASSRLS;
                ALTER ROLE app_user BYPASSRLS;
                """);
            var deals = catalog.Table("deals")!;
            Assert.Equal(3, deals.ForeignKeys.Count);
            Assert.Equal(new[] { "contact_id" }, deals.ForeignKeys[0].Columns);
            Assert.Equal(new[] { "id" }, deals.ForeignKeys[0].ReferencedColumns);
            Assert.Equal(new[] { "tenant_id", "contact_id" }, deals.ForeignKeys[1].Columns);
            Assert.Equal("users", deals.ForeignKeys[2].ReferencedTable);
            Assert.Empty(deals.ForeignKeys[2].ReferencedColumns);
            var index = Assert.Single(deals.Indexes);
            Assert.True(index.Unique);
            Assert.Equal("tenant_id", index.Columns[0]);
            Assert.Equal(new[] { "deals", "contacts" }, catalog.Views.Single(v => v.Name == "deal_summary").Tables);
            Assert.All(catalog.Views, v => Assert.True(v.SecurityInvoker));
            Assert.Equal(new[] { "select", "insert" }, deals.Grants.Single().Privileges);
            Assert.Equal(new[] { "app_user" }, catalog.Table("contacts")!.Grants.Single().Grantees);
            Assert.True(catalog.Roles.Single().BypassRls);
        }

        [Fact]
        public void Unterminated_and_odd_sql_never_throws()
        {
            foreach (var sql in new[] { "CREATE POLICY", "CREATE POLICY p ON", "ALTER TABLE", "DO $$ BEGIN EXECUTE format(", "CREATE TABLE t (", "GRANT", "CREATE INDEX ON", "DO 'x", "ALTER POLICY p ON t RENAME TO", "CREATE VIEW v WITH (", "EXECUTE format('%", "DO $$ EXECUTE format('%1$", "CREATE FUNCTION f() AS $$ unterminated" })
            {
                _ = Read(sql);
            }
        }

        [Theory]
        [InlineData("ALTER TABLE %I ENABLE ROW LEVEL SECURITY", "orders", "ALTER TABLE orders ENABLE ROW LEVEL SECURITY")]
        [InlineData("ALTER TABLE %I FORCE ROW LEVEL SECURITY", "Order Lines", "ALTER TABLE \"Order Lines\" FORCE ROW LEVEL SECURITY")]
        [InlineData("SELECT %L, %s, 100%%", "it's", "SELECT 'it''s', it's, 100%")]
        [InlineData("%2$s-%1$s", "a", "b-a")]
        public void Format_follows_postgres(string format, string argument, string expected)
        {
            var arguments = format.Contains("%2$") ? new[] { argument, "b" } : new[] { argument, argument };
            Assert.Equal(expected, CatalogBuilder.Format(format, arguments));
        }
    }
}

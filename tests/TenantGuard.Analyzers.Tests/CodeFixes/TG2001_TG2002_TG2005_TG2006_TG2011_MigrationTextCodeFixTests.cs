using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers.Rules.Schema;
using TenantGuard.Analyzers.Tests.Infrastructure;
using TenantGuard.CodeFixes.Fixes;
using Xunit;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    /// <summary>
    /// The schema fixes that edit the .sql migration (an additional document): TG2001, TG2002, TG2005, TG2006, TG2011. The analyzer
    /// testing package (1.1.4) does not apply fixes to additional files, so these tests drive the provider through a
    /// workspace the way the IDE does: one diagnostic at a time, re-analyzing after each fix, until none is left.
    /// </summary>
    public class TG2001_TG2002_TG2005_TG2006_TG2011_MigrationTextCodeFixTests
    {
        private const string Table = "CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);\n";

        private static async Task<string> FixAllAsync(DiagnosticAnalyzer analyzer, string migration)
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject("Migrations", LanguageNames.CSharp)
                .WithMetadataReferences(TestReferences.All.Distinct())
                .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
                .AddDocument("C.cs", "class C { }").Project;
            var sql = project.AddAdditionalDocument("001.sql", SourceText.From(migration), filePath: "/migrations/001.sql");
            var solution = sql.Project.Solution;
            var provider = new MigrationTextCodeFix();
            for (var round = 0; round < 10; round++)
            {
                var current = solution.GetProject(project.Id)!;
                var document = current.GetAdditionalDocument(sql.Id)!;
                var compilation = (await current.GetCompilationAsync())!;
                var files = ImmutableArray.Create<AdditionalText>(new AdditionalFileText("/migrations/001.sql", (await document.GetTextAsync()).ToString()));
                var diagnostics = (await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync())
                    .Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToList();
                if (diagnostics.Count == 0)
                {
                    return (await document.GetTextAsync()).ToString();
                }

                var actions = new List<CodeAction>();
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (action, _) => actions.Add(action), CancellationToken.None));
                var action = Assert.Single(actions);
                Assert.Equal(MigrationTextCodeFix.EquivalenceKeyFor(diagnostics[0].Id), action.EquivalenceKey);
                var operations = await action.GetOperationsAsync(CancellationToken.None);
                solution = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
            }

            Assert.Fail("the fixes did not converge");
            return string.Empty;
        }

        [Fact]
        public async Task TG2011_builds_the_whole_name_inside_the_placeholder()
        {
            const string Before = """
                CREATE TABLE "Companies" (id uuid, tenant_id uuid);
                DO $do$
                DECLARE tbl text;
                BEGIN
                    FOREACH tbl IN ARRAY ARRAY['Companies'] LOOP
                        EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', tbl, tbl);
                    END LOOP;
                END $do$;

                """;
            var fixedText = await FixAllAsync(new RejectedStatementAnalyzer(), Before);
            Assert.Equal(
                Before.Replace("format('CREATE POLICY tenant_isolation_%I ON %I", "format('CREATE POLICY %I ON %I").Replace("'''')::uuid))', tbl, tbl)", "'''')::uuid))', 'tenant_isolation_' || tbl, tbl)"),
                fixedText);
        }

        [Fact]
        public async Task TG2005_and_TG2006_through_a_function_fix_its_body_and_the_call()
        {
            const string Function = "CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT current_setting('app.tenant_id')::uuid $f$;\n";
            const string Policy = "CREATE POLICY p ON invoices USING (tenant_id = app_tenant());\n";
            var safe = await FixAllAsync(new UnsafeSettingReadAnalyzer(), Table + Function + Policy);
            Assert.Equal(Table + Function.Replace("current_setting('app.tenant_id')::uuid", "NULLIF(current_setting('app.tenant_id', true), '')::uuid") + Policy, safe);
            var once = await FixAllAsync(new SettingReadPerRowAnalyzer(), safe);
            Assert.Equal(safe.Replace("USING (tenant_id = app_tenant())", "USING (tenant_id = (SELECT app_tenant()))"), once);
        }

        [Fact]
        public async Task TG2002_adds_force_after_each_enable()
        {
            var fixedText = await FixAllAsync(new RlsNotForcedAnalyzer(),
                Table + "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nCREATE TABLE notes (id int, tenant_id uuid);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY\n");
            Assert.Equal(
                Table + "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nALTER TABLE invoices FORCE ROW LEVEL SECURITY;\nCREATE TABLE notes (id int, tenant_id uuid);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nALTER TABLE notes FORCE ROW LEVEL SECURITY;\n",
                fixedText);
        }

        [Fact]
        public async Task TG2005_rewrites_the_read_to_the_safe_form_in_using_and_with_check()
        {
            var fixedText = await FixAllAsync(new UnsafeSettingReadAnalyzer(),
                Table + "CREATE POLICY p ON invoices USING (tenant_id = (SELECT current_setting('app.tenant_id')::uuid)) WITH CHECK (tenant_id = (SELECT current_setting('app.tenant_id')::uuid));\nCREATE POLICY q ON invoices FOR SELECT USING (tenant_id = current_setting('app.tenant_id', true)::uuid);\n");
            Assert.Equal(
                Table + "CREATE POLICY p ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));\nCREATE POLICY q ON invoices FOR SELECT USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);\n",
                fixedText);
        }

        [Fact]
        public async Task TG2006_wraps_each_read_in_a_scalar_subquery()
        {
            var fixedText = await FixAllAsync(new SettingReadPerRowAnalyzer(),
                Table + "CREATE POLICY p ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);\nCREATE POLICY q ON invoices FOR INSERT WITH CHECK (tenant_id = CAST(NULLIF(current_setting('app.tenant_id', true), '') AS uuid));\n");
            Assert.Equal(
                Table + "CREATE POLICY p ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));\nCREATE POLICY q ON invoices FOR INSERT WITH CHECK (tenant_id = (SELECT CAST(NULLIF(current_setting('app.tenant_id', true), '') AS uuid)));\n",
                fixedText);
        }

        [Fact]
        public async Task TG2001_adds_rls_forced_and_a_tenant_policy_after_the_create_table()
        {
            var fixedText = await FixAllAsync(new TableWithoutRlsAnalyzer(),
                "CREATE TABLE invoices (id serial, tenant_id bigint NOT NULL, PRIMARY KEY (tenant_id, id));\nCREATE TABLE countries (code text PRIMARY KEY);\n");
            Assert.Equal(
                "CREATE TABLE invoices (id serial, tenant_id bigint NOT NULL, PRIMARY KEY (tenant_id, id));\n"
                + "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nALTER TABLE invoices FORCE ROW LEVEL SECURITY;\n"
                + "CREATE POLICY invoices_tenant_isolation ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::bigint));\n"
                + "CREATE TABLE countries (code text PRIMARY KEY);\n",
                fixedText);
        }
    }
}

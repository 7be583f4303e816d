using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using TenantGuard.Analyzers.Rules;
using TenantGuard.Analyzers.Registry;
using TenantGuard.Analyzers.Rules.Schema;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// Severities of the schema rules on .sql migrations, from the configuration of the file itself: .editorconfig
    /// sections that match it (passed as AdditionalFiles, as the package passes them), category lines, global configs;
    /// and the schema rules in a project that references no data-access library.
    /// </summary>
    public class SchemaSeverityTests
    {
        private const string Code = "class C { }";

        /// <summary>TG2002 at #0 (enabled, never forced) and TG2006 at #1 (current_setting per row).</summary>
        private const string Migration = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            CREATE INDEX ON invoices (tenant_id);
            {|#0:ALTER TABLE invoices ENABLE ROW LEVEL SECURITY|};
            {|#1:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)|};
            """;

        private static DiagnosticResult Expect(string id, DiagnosticSeverity severity, int location = 0) => new DiagnosticResult(id, severity).WithLocation(location);

        /// <summary>Runs <typeparamref name="TAnalyzer"/> with the given .editorconfig (as the compiler and the package pass it) and global config.</summary>
        private static async Task Check<TAnalyzer>(string? editorConfig, string? globalConfig, (string Path, string Text)[] migrations, bool dataAccess, params DiagnosticResult[] expected)
            where TAnalyzer : DiagnosticAnalyzer, new()
        {
            var test = new Test<TAnalyzer>(dataAccess);
            test.TestState.Sources.Add(Code);
            foreach (var migration in migrations)
            {
                test.TestState.AdditionalFiles.Add(migration);
            }

            if (editorConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
                test.TestState.AdditionalFiles.Add(("/.editorconfig", editorConfig));
            }

            if (globalConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync(CancellationToken.None);
        }

        private static Task Check<TAnalyzer>(string? editorConfig, string? globalConfig, params DiagnosticResult[] expected)
            where TAnalyzer : DiagnosticAnalyzer, new() =>
            Check<TAnalyzer>(editorConfig, globalConfig, new[] { ("/migrations/001.sql", Migration) }, dataAccess: true, expected);

        /// <summary>TenantGuard's schema preset at a severity, as the package passes it (its rule and category lines).</summary>
        private static string SchemaPreset(string severity) => string.Join(
            "\n",
            System.IO.File.ReadAllLines(System.IO.Path.Combine(RobustnessTests.RepositoryRoot(), "src", "Package", "presets", $"schema.{severity}.globalconfig"))
                .Where(line => !line.StartsWith("#", StringComparison.Ordinal) && !line.StartsWith("is_global", StringComparison.Ordinal))) + "\n";

        [Fact]
        public Task The_schema_presets_rule_lines_reach_the_sql_files() =>
            Check<RlsNotForcedAnalyzer>(null, SchemaPreset("error"), Expect("TG2002", DiagnosticSeverity.Error));

        [Fact]
        public Task A_sql_section_turns_a_rule_off_under_the_schema_preset() =>
            Check<RlsNotForcedAnalyzer>("root = true\n[*.sql]\ndotnet_diagnostic.TG2002.severity = none\n", SchemaPreset("error"));

        [Fact]
        public Task A_sql_section_turns_a_rule_off() => Check<RlsNotForcedAnalyzer>("root = true\n[*.sql]\ndotnet_diagnostic.TG2002.severity = none\n", null);

        [Fact]
        public Task A_sql_section_makes_a_suggestion_an_error() =>
            Check<SettingReadPerRowAnalyzer>("root = true\n[*.sql]\ndotnet_diagnostic.TG2006.severity = error\n", null, Expect("TG2006", DiagnosticSeverity.Error, 1));

        [Fact]
        public Task A_section_for_every_file_counts_and_ids_ignore_case() =>
            Check<RlsNotForcedAnalyzer>("root = true\n[*]\ndotnet_diagnostic.tg2002.severity = error\n", null, Expect("TG2002", DiagnosticSeverity.Error));

        [Fact]
        public Task A_section_for_a_folder_applies_to_its_files_only() => Check<RlsNotForcedAnalyzer>(
            "root = true\n[migrations/**.sql]\ndotnet_diagnostic.TG2002.severity = error\n[{db,other}/*.sql]\ndotnet_diagnostic.TG2002.severity = suggestion\n",
            null,
            new[]
            {
                ("/migrations/2024/001.sql", "{|#0:ALTER TABLE invoices ENABLE ROW LEVEL SECURITY|};"),
                ("/db/002.sql", "{|#1:ALTER TABLE notes ENABLE ROW LEVEL SECURITY|};"),
                ("/schema/003.sql", "{|#2:ALTER TABLE memos ENABLE ROW LEVEL SECURITY|};"),
            },
            dataAccess: true,
            Expect("TG2002", DiagnosticSeverity.Error, 0),
            Expect("TG2002", DiagnosticSeverity.Info, 1),
            Expect("TG2002", DiagnosticSeverity.Warning, 2));

        [Fact]
        public Task The_later_section_wins() =>
            Check<RlsNotForcedAnalyzer>("root = true\n[*]\ndotnet_diagnostic.TG2002.severity = none\n[*.sql]\ndotnet_diagnostic.TG2002.severity = error\n", null, Expect("TG2002", DiagnosticSeverity.Error));

        [Fact]
        public Task A_category_line_in_a_sql_section() =>
            Check<SettingReadPerRowAnalyzer>("root = true\n[*.sql]\ndotnet_analyzer_diagnostic.category-TenantGuard.Schema.severity = warning\n", null, Expect("TG2006", DiagnosticSeverity.Warning, 1));

        [Fact]
        public Task A_rule_line_wins_over_a_category_line() => Check<RlsNotForcedAnalyzer>(
            "root = true\n[*.sql]\ndotnet_diagnostic.TG2002.severity = error\n",
            "dotnet_analyzer_diagnostic.category-TenantGuard.Schema.severity = none\n",
            Expect("TG2002", DiagnosticSeverity.Error));

        [Fact]
        public Task A_category_line_in_a_global_config() =>
            Check<RlsNotForcedAnalyzer>(null, "dotnet_analyzer_diagnostic.category-TenantGuard.Schema.severity = none\n");

        [Fact]
        public Task A_rule_line_in_a_global_config_wins_on_sql_files_as_the_compiler_applies_it_last() => Check<RlsNotForcedAnalyzer>(
            "root = true\n[*.sql]\ndotnet_diagnostic.TG2002.severity = error\n",
            "dotnet_diagnostic.TG2002.severity = suggestion\n",
            Expect("TG2002", DiagnosticSeverity.Info));

        [Fact]
        public Task An_unreadable_statement_follows_the_files_configuration() => Check<IncompleteCatalogAnalyzer>(
            "root = true\n[*.sql]\ndotnet_diagnostic.TG0002.severity = warning\n",
            "tenantguard.tenant_tables = invoices\n",
            new[] { ("/migrations/001.sql", "DO $do$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables LOOP {|#0:EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', r.tablename)|}; END LOOP; END $do$;") },
            dataAccess: true,
            Expect("TG0002", DiagnosticSeverity.Warning));

        [Fact]
        public Task Each_schema_analyzer_lists_every_schema_rule_so_that_the_compiler_runs_it()
        {
            var analyzers = TenantGuardRules.CreateAnalyzers().OfType<TenantGuard.Analyzers.Infrastructure.SchemaAnalyzer>().ToList();
            var schemaRules = TenantGuardRules.All.Where(r => TenantGuardRules.IsSchema(r.Descriptor)).Select(r => r.Id).OrderBy(id => id, StringComparer.Ordinal).ToList();
            Assert.Equal(schemaRules.Count, analyzers.Count);
            foreach (var analyzer in analyzers)
            {
                Assert.Equal(schemaRules, analyzer.SupportedDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
            }

            return Task.CompletedTask;
        }

        [Fact]
        public Task Migrations_without_a_data_access_reference_get_the_schema_rules() => Check<RlsNotForcedAnalyzer>(
            null, null, new[] { ("/migrations/001.sql", Migration) }, dataAccess: false, Expect("TG2002", DiagnosticSeverity.Warning));

        [Fact]
        public Task Migrations_without_a_data_access_reference_get_TG0002() => Check<IncompleteCatalogAnalyzer>(
            null, null, new[] { ("/migrations/001.sql", "CREATE TABLE notes (id int, tenant_id uuid);") }, dataAccess: false,
            new DiagnosticResult("TG0002", DiagnosticSeverity.Info).WithNoLocation());

        [Fact]
        public Task Without_data_access_and_without_migrations_nothing_runs() => Check<IncompleteCatalogAnalyzer>(
            null, null, Array.Empty<(string, string)>(), dataAccess: false);

        private sealed class Test<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
            where TAnalyzer : DiagnosticAnalyzer, new()
        {
            public Test(bool dataAccess)
            {
                ReferenceAssemblies = TestReferences.None;
                if (dataAccess)
                {
                    TestState.AdditionalReferences.AddRange(TestReferences.All);
                }
                else
                {
                    TestState.AdditionalReferences.AddRange(Net100.References.All);
                }
            }
        }
    }
}

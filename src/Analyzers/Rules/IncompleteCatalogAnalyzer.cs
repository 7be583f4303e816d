using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>
    /// TG0002: TenantGuard knows no tenant table, or could not read a migration statement about row-level security.
    /// Reported once per compilation (and once per unreadable statement, on the statement), so that silence is never
    /// mistaken for safety.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class IncompleteCatalogAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The item metadata the package sets on schema files it found outside the project (<c>discovered</c>) or was given (<c>pinned</c>).</summary>
        internal const string DiscoveredMetadata = "build_metadata.AdditionalFiles.TenantGuardSchema";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG0002_IncompleteCatalog);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationAction(end =>
            {
                if (AnalysisEnvironment.ForSchema(end.Compilation, end.Options) is not { } environment)
                {
                    return;
                }

                var catalog = environment.Catalog;
                var severities = environment.Severities(end.Options);
                void Report(Location location, string message)
                {
                    var severity = Descriptors.TG0002_IncompleteCatalog.DefaultSeverity;
                    if (severities.TryGet(Descriptors.TG0002_IncompleteCatalog, location, ref severity))
                    {
                        end.ReportDiagnostic(Diagnostic.Create(Descriptors.TG0002_IncompleteCatalog, location, severity, additionalLocations: null, properties: null, message));
                    }
                }

                foreach (var problem in catalog.Problems)
                {
                    Report(
                        problem.Location ?? Location.None,
                        $"TenantGuard could not read this migration statement ({problem.Reason}): what '{problem.Statement}' does to {(problem.Table is null ? "the tables that exist when it runs" : "'" + problem.Table + "'")} is not known, so {UndecidedRules(problem.Aspects)} stay silent about what it may have done there, and TG1001 may miss what it protects");
                }

                // Schema files the package found outside the project (TenantGuardDiscoverSchema): say which, and how to choose.
                var discovered = new System.Collections.Generic.List<string>();
                foreach (var file in end.Options.AdditionalFiles)
                {
                    if (end.Options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(DiscoveredMetadata, out var how) && how == "discovered")
                    {
                        discovered.Add(file.Path);
                    }
                }

                if (discovered.Count > 0)
                {
                    discovered.Sort(System.StringComparer.Ordinal);
                    var shown = string.Join(", ", discovered.Take(5)) + (discovered.Count > 5 ? $" and {discovered.Count - 5} more" : string.Empty);
                    Report(
                        Location.None,
                        $"TenantGuard read this project's schema from {discovered.Count} file{(discovered.Count == 1 ? string.Empty : "s")} outside the project, found where repositories usually keep it because the project has none of its own: {shown}; name the files with the TenantGuardSchemaFiles property to pin them, or set TenantGuardDiscoverSchema to false to read only the project's own");
                }

                var global = end.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
                var configured = global.TryGetValue(TenantGuardOptions.TenantTablesKey, out var tables) && tables.Trim().Length > 0;
                if (catalog.RlsTables.Count == 0 && !configured)
                {
                    Report(
                        Location.None,
                        catalog.Documents == 0
                            ? "TenantGuard knows no tenant table: it found no migration (.sql AdditionalFiles, EF Core or FluentMigrator migrations in C#) and tenantguard.tenant_tables is not set, so TG1001 only sees SQL that names a tenant column; if the schema lies outside the project, name its files with the TenantGuardSchemaFiles property"
                            : $"TenantGuard knows no tenant table: none of the {catalog.Documents - catalog.Unreadable} migration documents it read enables row-level security or creates a policy{(catalog.Unreadable > 0 ? $" ({catalog.Unreadable} more it could not read are reported on their statements)" : string.Empty)}, and tenantguard.tenant_tables is not set, so TG1001 only sees SQL that names a tenant column");
                }
            });
        }

        /// <summary>The rules that cannot decide about what a statement may have changed: "TG2001, TG2002 and TG2004".</summary>
        internal static string UndecidedRules(UnknownAspects aspects)
        {
            var rules = new System.Collections.Generic.SortedSet<string>(System.StringComparer.Ordinal);
            if ((aspects & UnknownAspects.Rls) != 0)
            {
                rules.UnionWith(new[] { "TG2001", "TG2002", "TG2004" });
            }

            if ((aspects & UnknownAspects.Policy) != 0)
            {
                rules.UnionWith(new[] { "TG2001", "TG2004" });
            }

            if ((aspects & UnknownAspects.Index) != 0)
            {
                rules.Add("TG2010");
            }

            if ((aspects & UnknownAspects.ForeignKey) != 0)
            {
                rules.Add("TG2007");
            }

            var list = rules.ToList();
            return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[list.Count - 1];
        }
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2011: a migration statement PostgreSQL rejects, where TenantGuard can be sure: the SQL an <c>EXECUTE format(...)</c>
    /// builds from literal arguments with a name glued to a quoted identifier. Its DO block aborts, and the catalog has
    /// none of its effects (see <c>Catalog/CatalogBuilder.Rejections</c>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RejectedStatementAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2011_RejectedStatement);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var rejection in context.Catalog.Rejections)
            {
                context.Report(
                    Descriptors.TG2011_RejectedStatement,
                    rejection.Location,
                    Descriptors.TG2011_RejectedStatement.DefaultSeverity,
                    rejection.Fix is { } fix ? FixProperties.Replacing(fix.Find, fix.Replace).Add(FixProperties.Title, "Build the whole name inside %I") : null,
                    "'" + rejection.Sql + "'",
                    rejection.Error,
                    rejection.Unit is null
                        ? "the DO block it runs in is rolled back, so none of its statements take effect"
                        : "the migration it runs in is rolled back with it (it runs in one transaction), so none of that migration's statements take effect",
                    rejection.Advice);
            }
        }
    }
}

using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The base of the rules over the schema the migrations build (TG20xx): each runs once per compilation over the
    /// policy catalog (<see cref="PolicyCatalog"/>, shared with every rule), under the project-wide options, and reports
    /// on the migration statement (the .sql file and line, or the C# code the SQL came from), unless a
    /// <c>-- tenantguard:disable</c> comment turns it off there (<see cref="SqlSuppressions"/>). Each finding is reported
    /// from the file it lies in (a syntax tree action for C#, an additional file action for .sql), so it is local to
    /// that file: the IDE shows it and offers its fix as the file is edited, as for any other analyzer.
    /// </summary>
    public abstract class SchemaAnalyzer : DiagnosticAnalyzer
    {
        private readonly ConditionalWeakTable<Compilation, Lazy<Findings>> _findings = new();

        /// <summary>Every schema rule, in the order of their ids.</summary>
        private static readonly ImmutableArray<DiagnosticDescriptor> SchemaRules = ImmutableArray.Create(
            Descriptors.TG2001_TableWithoutRls,
            Descriptors.TG2002_RlsNotForced,
            Descriptors.TG2003_NonIsolatingPolicy,
            Descriptors.TG2004_RlsWithoutPolicy,
            Descriptors.TG2005_UnsafeSettingRead,
            Descriptors.TG2006_SettingReadPerRow,
            Descriptors.TG2007_ForeignKeyAcrossTenants,
            Descriptors.TG2008_ViewBypassesRls,
            Descriptors.TG2009_PrivilegedAccess,
            Descriptors.TG2010_TenantColumnNotIndexed,
            Descriptors.TG2011_RejectedStatement);

        private ImmutableArray<DiagnosticDescriptor> _supported;

        /// <summary>The rules this analyzer reports.</summary>
        private protected abstract ImmutableArray<DiagnosticDescriptor> Rules { get; }

        /// <summary>
        /// The analyzer's own rules first, then every other schema rule. The command-line compiler skips an analyzer whose
        /// every rule is a suggestion or silent for every C# file (it would print none of them), and it cannot see the
        /// sections that match only .sql files: a <c>[*.sql]</c> line that makes TG2006 an error would never run it. Listing
        /// the schema rules together keeps each running while any schema rule is a warning or an error somewhere.
        /// </summary>
        public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics =>
            _supported.IsDefault ? _supported = Rules.AddRange(SchemaRules.Except(Rules)) : _supported;

        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (FindingsOf(start.Compilation, start.Options) is not { } findings)
                {
                    return;
                }

                start.RegisterSyntaxTreeAction(tree =>
                {
                    foreach (var diagnostic in findings.Value.In(tree.Tree.FilePath))
                    {
                        tree.ReportDiagnostic(diagnostic);
                    }
                });
                start.RegisterAdditionalFileAction(file =>
                {
                    foreach (var diagnostic in findings.Value.In(file.AdditionalFile.Path))
                    {
                        file.ReportDiagnostic(diagnostic);
                    }
                });
            });

            // A statement whose text the catalog cannot place (built from pieces of several files) is reported on the project.
            context.RegisterCompilationAction(compilation =>
            {
                foreach (var diagnostic in FindingsOf(compilation.Compilation, compilation.Options)?.Value.Unplaced ?? Enumerable.Empty<Diagnostic>())
                {
                    compilation.ReportDiagnostic(diagnostic);
                }
            });
        }

        /// <summary>The rule's findings for a compilation, found once on first use and shared by its actions; null without migrations.</summary>
        private Lazy<Findings>? FindingsOf(Compilation compilation, AnalyzerOptions options)
        {
            if (AnalysisEnvironment.ForSchema(compilation, options) is not { } environment || environment.Catalog.Documents == 0)
            {
                return null;
            }

            return _findings.GetValue(compilation, _ => new Lazy<Findings>(
                () =>
                {
                    var found = new Findings();
                    Analyze(new SchemaContext(found, environment.Catalog, environment.ProjectOptions(options), environment.Suppressions(options), environment.Severities(options)));
                    return found;
                },
                System.Threading.LazyThreadSafetyMode.ExecutionAndPublication));
        }

        private protected abstract void Analyze(SchemaContext context);
    }
}

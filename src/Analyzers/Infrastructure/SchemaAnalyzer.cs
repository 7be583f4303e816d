using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Options;

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

    /// <summary>A schema rule's findings for one compilation, by the file they lie in.</summary>
    internal sealed class Findings
    {
        private static readonly IReadOnlyList<Diagnostic> None = Array.Empty<Diagnostic>();
        private readonly Dictionary<string, List<Diagnostic>> _byFile = new(StringComparer.Ordinal);

        public void Add(Diagnostic diagnostic)
        {
            var path = diagnostic.Location == Location.None ? string.Empty : diagnostic.Location.GetLineSpan().Path ?? string.Empty;
            if (!_byFile.TryGetValue(path, out var list))
            {
                _byFile[path] = list = new List<Diagnostic>();
            }

            list.Add(diagnostic);
        }

        public IReadOnlyList<Diagnostic> In(string path) => path.Length > 0 && _byFile.TryGetValue(path, out var list) ? list : None;

        /// <summary>Findings with no place in a file.</summary>
        public IReadOnlyList<Diagnostic> Unplaced => _byFile.TryGetValue(string.Empty, out var list) ? list : None;
    }

    /// <summary>What a schema rule sees, and where it reports.</summary>
    internal sealed class SchemaContext
    {
        private readonly Findings _findings;
        private readonly SqlSuppressions _suppressions;
        private readonly FileSeverities _severities;

        public SchemaContext(Findings findings, PolicyCatalog catalog, TenantGuardOptions options, SqlSuppressions suppressions, FileSeverities severities)
        {
            _findings = findings;
            _suppressions = suppressions;
            _severities = severities;
            Catalog = catalog;
            Options = options;
        }

        public PolicyCatalog Catalog { get; }

        public TenantGuardOptions Options { get; }

        /// <summary>The catalog's tables by name, so that reports come in a stable order.</summary>
        public IEnumerable<CatalogTable> Tables => Catalog.Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal);

        /// <summary>
        /// Every <c>current_setting</c> read of every policy, USING and WITH CHECK, once per policy and text (a read that
        /// both clauses repeat is one).
        /// </summary>
        public IEnumerable<(CatalogTable Table, CatalogPolicy Policy, SettingRead Read)> PolicySettingReads()
        {
            foreach (var table in Tables)
            {
                foreach (var policy in table.Policies)
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var expression in new[] { policy.Using, policy.WithCheck })
                    {
                        if (expression is null)
                        {
                            continue;
                        }

                        foreach (var read in SettingReads.In(expression.Text))
                        {
                            if (seen.Add(read.Text))
                            {
                                yield return (table, policy, read);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Every call of a policy, USING and WITH CHECK, to a function of the migrations whose body reads a setting
        /// (<c>tenant_id = app.current_tenant_id()</c>), once per policy and call text.
        /// </summary>
        public IEnumerable<(CatalogTable Table, CatalogPolicy Policy, CatalogFunction Function, string Text, bool InSubquery)> PolicyFunctionCalls()
        {
            var functions = Catalog.Functions;
            var definitions = Catalog.Definitions;
            if (definitions.IsEmpty)
            {
                yield break;
            }

            bool ReadsSetting(string name) => functions.TryGetValue(name, out var read) && !read.IsEmpty && definitions.ContainsKey(name);
            foreach (var table in Tables)
            {
                foreach (var policy in table.Policies)
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var expression in new[] { policy.Using, policy.WithCheck })
                    {
                        if (expression is null)
                        {
                            continue;
                        }

                        foreach (var (name, text, inSubquery) in SettingReads.Calls(expression.Text, ReadsSetting))
                        {
                            if (seen.Add(text))
                            {
                                yield return (table, policy, definitions[name], text, inSubquery);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>Reports on a migration statement, unless a comment there turns the rule off.</summary>
        public void Report(DiagnosticDescriptor descriptor, Location? location, params object[] arguments) =>
            Report(descriptor, location, descriptor.DefaultSeverity, arguments);

        public void Report(DiagnosticDescriptor descriptor, Location? location, DiagnosticSeverity severity, params object[] arguments) =>
            Report(descriptor, location, severity, null, arguments);

        /// <summary>
        /// Reports with properties for the code fix (<see cref="FixProperties"/>: <c>find</c>/<c>replace</c>, <c>append</c>),
        /// at the severity the configuration of the .sql file gives the rule (<see cref="FileSeverities"/>), or not at all.
        /// </summary>
        public void Report(DiagnosticDescriptor descriptor, Location? location, DiagnosticSeverity severity, ImmutableDictionary<string, string?>? properties, params object[] arguments)
        {
            location ??= Location.None;
            if (_suppressions.IsSuppressed(descriptor.Id, location) || !_severities.TryGet(descriptor, location, ref severity))
            {
                return;
            }

            _findings.Add(Diagnostic.Create(descriptor, location ?? Location.None, severity, additionalLocations: null, properties, arguments));
        }

        /// <summary>"line 12 of 003_rls.sql", for messages that point at a second statement.</summary>
        public static string Where(Location? location)
        {
            if (location is null || location == Location.None)
            {
                return "in the migrations";
            }

            var span = location.GetLineSpan();
            return $"line {span.StartLinePosition.Line + 1} of {System.IO.Path.GetFileName(span.Path)}";
        }
    }
}

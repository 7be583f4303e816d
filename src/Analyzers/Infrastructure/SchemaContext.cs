using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Infrastructure
{
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
                    foreach (var expression in policy.Expressions)
                    {
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
                    foreach (var expression in policy.Expressions)
                    {
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

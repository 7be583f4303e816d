using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1006: SET / SET LOCAL / SET SESSION with a bind parameter (42601 on PostgreSQL).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SetWithBindParameterAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1006_SetWithBindParameter);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var reported = new HashSet<Location>();
            foreach (var (site, statement) in SiteSql.Statements(analysis.Model, settingsOnly: true))
            {
                // PostgreSQL's SET name = <placeholder> (and SET ROLE, SET TIME ZONE ...): a T-SQL "SET @x = @y" sets a
                // variable, not a setting.
                if (statement.Kind != SqlStatementKind.Set || !statement.ContainsPlaceholder || !NamesASetting(statement))
                {
                    continue;
                }

                var location = SiteSql.LocationOf(site, statement.Start, statement.End);
                if (!reported.Add(location))
                {
                    continue;
                }

                var name = statement.Settings.IsEmpty ? null : statement.Settings[0].Name;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TG1006_SetWithBindParameter,
                    location,
                    ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Setting, name).Add(FixProperties.SiteKind, site.Kind.ToString()),
                    SiteSql.Display(site.Sql!, statement.Start, statement.End),
                    name ?? "setting",
                    PlaceholderText(statement)));
            }
        }

        /// <summary>Whether the word after SET [SESSION | LOCAL] is a name (a PostgreSQL setting never starts with '@').</summary>
        private static bool NamesASetting(SqlStatement statement)
        {
            var tokens = statement.Tokens;
            var i = 1;
            if (i < tokens.Length && tokens[i].Kind == SqlTokenKind.Identifier
                && statement.Script.TextOf(tokens[i]).ToLowerInvariant() is "local" or "session")
            {
                i++;
            }

            return i < tokens.Length && tokens[i].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier;
        }

        private static string PlaceholderText(SqlStatement statement)
        {
            foreach (var token in statement.Tokens)
            {
                if (token.Kind is SqlTokenKind.NamedParameter or SqlTokenKind.PositionalParameter)
                {
                    return statement.Script.TextOf(token);
                }
            }

            return "@value";
        }
    }
}

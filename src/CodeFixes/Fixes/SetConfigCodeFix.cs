using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Sql;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>TG1006: <c>SET [LOCAL] name = @p</c> becomes <c>SELECT set_config('name', @p, true)</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetConfigCodeFix)), Shared]
    public sealed class SetConfigCodeFix : SqlTextCodeFix
    {
        public const string EquivalenceKey = nameof(SetConfigCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1006_SetWithBindParameter.Id);

        protected override string Title => "Use a transaction-local set_config with the bound value";

        protected override string Key => EquivalenceKey;

        protected override string? Rewrite(string sourceText, Diagnostic diagnostic)
        {
            var script = SqlScript.Parse(sourceText);
            if (script.Statements.Length != 1)
            {
                return null;
            }

            var statement = script.Statements[0];
            if (statement.Kind != SqlStatementKind.Set || statement.Settings.Length != 1 || statement.Settings[0].Name is not { } name)
            {
                return null;
            }

            var value = statement.Settings[0].ValueTokens;
            if (value.IsEmpty)
            {
                return null;
            }

            var valueText = sourceText.Substring(value[0].Start, value.Last().End - value[0].Start);
            return $"SELECT set_config('{name}', {valueText}, true)";
        }
    }
}

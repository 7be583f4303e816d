using System.Collections.Immutable;
using System.Composition;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using TenantGuard.Analyzers;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>TG1002: <c>:name::type</c> becomes <c>CAST(:name AS type)</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CastPlaceholderCodeFix)), Shared]
    public sealed class CastPlaceholderCodeFix : SqlTextCodeFix
    {
        private static readonly Regex PlaceholderCast = new(@"^([:@][A-Za-z_][A-Za-z0-9_]*)\s*::\s*(\S(?:.*\S)?)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        public const string EquivalenceKey = nameof(CastPlaceholderCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1002_PlaceholderCast.Id);

        protected override string Title => "Use CAST(placeholder AS type)";

        protected override string Key => EquivalenceKey;

        protected override string? Rewrite(string sourceText, Diagnostic diagnostic)
        {
            var match = PlaceholderCast.Match(sourceText);
            return match.Success ? $"CAST({match.Groups[1].Value} AS {match.Groups[2].Value})" : null;
        }
    }
}

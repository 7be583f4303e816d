using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// The mechanical schema fixes, in the .sql migration itself (an additional document): TG2001 adds the statements that
    /// enable and force row-level security with a tenant policy after the table's CREATE TABLE; TG2002 adds
    /// <c>ALTER TABLE t FORCE ROW LEVEL SECURITY;</c> after the statement that enables row-level security; TG2005 rewrites
    /// the setting read to <c>NULLIF(current_setting(name, true), '')::type</c>; TG2006 wraps it in <c>(SELECT ...)</c>.
    /// The rule says what to write in the diagnostic's properties. Findings in C# migrations: <see cref="CSharpMigrationCodeFix"/>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MigrationTextCodeFix), DocumentKinds = new[] { nameof(TextDocumentKind.AdditionalDocument) }, DocumentExtensions = new[] { ".sql" }), Shared]
    public sealed class MigrationTextCodeFix : CodeFixProvider
    {
        /// <summary>What the equivalence key of each fix of this provider ends with (one kind of fix per rule).</summary>
        public const string EquivalenceKey = nameof(MigrationTextCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            Descriptors.TG2001_TableWithoutRls.Id, Descriptors.TG2002_RlsNotForced.Id, Descriptors.TG2005_UnsafeSettingRead.Id, Descriptors.TG2006_SettingReadPerRow.Id,
            Descriptors.TG2011_RejectedStatement.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var properties = diagnostic.Properties;
                string title;
                if (properties.TryGetValue(FixProperties.Append, out var append) && append is not null)
                {
                    title = properties.TryGetValue(FixProperties.Title, out var given) && given is not null ? given : "Add " + append;
                }
                else if (properties.TryGetValue(FixProperties.Find, out var find) && find is not null
                    && properties.TryGetValue(FixProperties.Replace, out var replace) && replace is not null)
                {
                    title = properties.TryGetValue(FixProperties.Title, out var given) && given is not null ? given : "Write " + replace;
                }
                else
                {
                    continue;
                }

                var document = context.TextDocument;
                context.RegisterCodeFix(
                    CodeAction.Create(title, token => FixAsync(document, diagnostic, token), EquivalenceKeyFor(diagnostic.Id)),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        /// <summary>The equivalence key of the fix of a rule: Fix All fixes one rule at a time.</summary>
        public static string EquivalenceKeyFor(string diagnosticId) => diagnosticId + ":" + EquivalenceKey;

        private static async Task<Solution> FixAsync(TextDocument document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            return document.Project.Solution.WithAdditionalDocumentText(document.Id, Apply(text, diagnostic) ?? text);
        }

        /// <summary>The migration's text with the fix of one diagnostic applied, or null when the statement has changed.</summary>
        internal static SourceText? Apply(SourceText text, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.SourceSpan;
            if (span.End > text.Length)
            {
                return null;
            }

            var properties = diagnostic.Properties;
            if (properties.TryGetValue(FixProperties.Append, out var append) && append is not null)
            {
                // After the statement's semicolon (or its end), on a line of its own.
                var end = span.End;
                while (end < text.Length && (text[end] == ' ' || text[end] == '\t'))
                {
                    end++;
                }

                var at = end < text.Length && text[end] == ';' ? end + 1 : span.End;
                var newLine = text.ToString().IndexOf("\r\n", StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";
                return text.WithChanges(new TextChange(new TextSpan(at, 0), (at == span.End ? ";" : string.Empty) + newLine + append.Replace("\n", newLine)));
            }

            if (!properties.TryGetValue(FixProperties.Find, out var find) || find is null || !properties.TryGetValue(FixProperties.Replace, out var replace) || replace is null)
            {
                return null;
            }

            var statement = text.ToString(span);
            var changed = statement.Replace(find, replace);
            return changed == statement ? null : text.WithChanges(new TextChange(span, changed));
        }
    }
}

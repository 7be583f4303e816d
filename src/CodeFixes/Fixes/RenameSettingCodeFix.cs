using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1013: renames the set setting to the one the policies read, where the rule found exactly one that the code
    /// evidently meant (<c>set_config('app.current_tenant', ...)</c> becomes <c>set_config('app.current_tenant_id', ...)</c>).
    /// Only the name as written is replaced, and only when the text at the diagnostic is that name (in SQL quotes, C#
    /// quotes or none).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameSettingCodeFix)), Shared]
    public sealed class RenameSettingCodeFix : SqlTextCodeFix
    {
        public const string EquivalenceKey = nameof(RenameSettingCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1013_UnreadSetting.Id);

        protected override string Title => "Set the setting the policies read";

        protected override string Key => EquivalenceKey;

        protected override string? Rewrite(string sourceText, Diagnostic diagnostic)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.Setting, out var setting) || setting is null
                || !diagnostic.Properties.TryGetValue(FixProperties.Rename, out var rename) || rename is null)
            {
                return null;
            }

            var quote = sourceText.Length >= 2 && sourceText[0] is '\'' or '"' && sourceText[sourceText.Length - 1] == sourceText[0]
                ? sourceText.Substring(0, 1)
                : string.Empty;
            var name = sourceText.Substring(quote.Length, sourceText.Length - (2 * quote.Length));
            if (!name.Trim().Equals(setting, StringComparison.OrdinalIgnoreCase) || rename.IndexOfAny(new[] { '\'', '"', '\\' }) >= 0)
            {
                return null;
            }

            return quote + rename + quote;
        }
    }
}

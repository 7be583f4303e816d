using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.CodeFixes;
using TenantGuard.CodeFixes.Fixes;

namespace TenantGuard.CodeFixes.Registry
{
    /// <summary>
    /// Every TenantGuard code fix provider, listed once (the IDE finds them by their export attribute; the tests and the
    /// documentation generator take them from here, and a test checks that nothing in the assembly is left out).
    /// </summary>
    public static class TenantGuardFixes
    {
        /// <summary>A new instance of every provider, in the order of the rules they fix.</summary>
        public static ImmutableArray<CodeFixProvider> CreateCodeFixProviders() => ImmutableArray.Create<CodeFixProvider>(
            new ApplyTenantSettingCodeFix(),
            new UseTenantWrapperCodeFix(),
            new CastPlaceholderCodeFix(),
            new SwallowedErrorCodeFix(),
            new SavepointCodeFix(),
            new SetConfigCodeFix(),
            new WrapInTransactionCodeFix(),
            new TransactionLocalSettingCodeFix(),
            new BindTenantSettingCodeFix(),
            new RenameSettingCodeFix(),
            new MigrationTextCodeFix(),
            new CSharpMigrationCodeFix());

        /// <summary>The ids some provider offers a fix for.</summary>
        public static ImmutableHashSet<string> FixableIds() =>
            CreateCodeFixProviders().SelectMany(p => p.FixableDiagnosticIds).ToImmutableHashSet();
    }
}

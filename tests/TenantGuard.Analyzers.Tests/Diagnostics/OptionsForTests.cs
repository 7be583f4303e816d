using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TenantGuard.Analyzers.Options
{
    internal static class TenantGuardOptions_ForTests
    {
        public static TenantGuardOptions Default() => TenantGuardOptions.ForTests(new Empty());

        private sealed class Empty : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) { value = null; return false; }
        }
    }
}

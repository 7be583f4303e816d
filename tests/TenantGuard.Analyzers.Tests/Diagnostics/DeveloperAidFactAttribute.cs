using System;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Diagnostics
{
    /// <summary>A developer's aid, not a test: skipped unless its environment variable names an input.</summary>
    public sealed class DeveloperAidFactAttribute : FactAttribute
    {
        public DeveloperAidFactAttribute(string variable)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                Skip = $"developer aid: set {variable} to run it";
            }
        }
    }
}

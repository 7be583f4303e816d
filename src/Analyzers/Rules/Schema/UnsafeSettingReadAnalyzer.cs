using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2005: a policy reads a setting with <c>current_setting(name)</c> (no <c>missing_ok</c>: fails with 42704 where the
    /// connection never set it) or casts it to a non-text type without <c>NULLIF(..., '')</c> (fails with 22P02 once the
    /// connection has set or reset it).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnsafeSettingReadAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2005_UnsafeSettingRead);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var (table, policy, read) in context.PolicySettingReads())
            {
                if (Problem(read) is { } problem)
                {
                    context.Report(
                        Descriptors.TG2005_UnsafeSettingRead,
                        policy.Location,
                        Descriptors.TG2005_UnsafeSettingRead.DefaultSeverity,
                        FixProperties.Replacing(read.Text, SafeForm(read)),
                        policy.Name,
                        table.Name,
                        read.Text,
                        problem,
                        SafeForm(read));
                }
            }

            // Read through a function of the migrations: reported once per read, on the CREATE FUNCTION, with the first policy that calls it.
            var reported = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var (table, policy, function, _, _) in context.PolicyFunctionCalls())
            {
                foreach (var read in SettingReads.In(function.Body))
                {
                    if (Problem(read) is { } problem && reported.Add(function.Name + "\n" + read.Text))
                    {
                        context.Report(
                            Descriptors.TG2005_UnsafeSettingRead,
                            function.Location,
                            Descriptors.TG2005_UnsafeSettingRead.DefaultSeverity,
                            FixProperties.Replacing(read.Text, SafeForm(read)),
                            policy.Name,
                            $"{table.Name} through {function.Name}()",
                            read.Text,
                            problem,
                            SafeForm(read));
                    }
                }
            }
        }

        private static string? Problem(SettingRead read)
        {
            var unguardedCast = read.CastType is not null && !read.NullIfGuarded;
            if (!unguardedCast && read.MissingOk)
            {
                return null;
            }

            var problems = new List<string>();
            if (!read.MissingOk)
            {
                problems.Add($"on a connection that never set '{read.Setting}' the query fails with 42704 (unrecognized configuration parameter) instead of seeing no rows");
            }

            if (unguardedCast)
            {
                problems.Add($"once a connection has set or reset it its value is '' and ''::{read.CastType} fails with 22P02, which fails the whole query");
            }

            return string.Join("; and ", problems);
        }

        private static string SafeForm(SettingRead read) =>
            read.CastType is null
                ? $"current_setting('{read.Setting}', true)"
                : $"NULLIF(current_setting('{read.Setting}', true), '')::{read.CastType}";
    }
}

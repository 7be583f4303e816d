using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Registry
{
    /// <summary>
    /// One rule as the registry knows it: its descriptor (the only source of its id, title, category and default
    /// severity), the analyzer that reports it, whether TenantGuard's code fixes offer a fix for it, and the
    /// <c>tenantguard.*</c> options it reads.
    /// </summary>
    public sealed class TenantGuardRule
    {
        internal TenantGuardRule(DiagnosticDescriptor descriptor, Type analyzer, bool hasFix, params string[] options)
        {
            Descriptor = descriptor;
            Analyzer = analyzer;
            HasFix = hasFix;
            Options = ImmutableArray.Create(options);
        }

        public DiagnosticDescriptor Descriptor { get; }

        public string Id => Descriptor.Id;

        public string Category => Descriptor.Category;

        public DiagnosticSeverity DefaultSeverity => Descriptor.DefaultSeverity;

        /// <summary>The analyzer that reports the rule (a schema analyzer lists every schema rule, but reports its own).</summary>
        public Type Analyzer { get; }

        /// <summary>Whether a code fix is offered for the rule (checked against the code fixes' registry by the tests).</summary>
        public bool HasFix { get; }

        /// <summary>The <c>tenantguard.*</c> options the rule reads, besides those every code rule reads (<see cref="TenantGuardRules.CodeRuleOptions"/>).</summary>
        public ImmutableArray<string> Options { get; }

        public override string ToString() => Id;
    }
}

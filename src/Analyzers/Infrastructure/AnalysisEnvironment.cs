using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sites;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// What TenantGuard learns once per compilation and shares between all its rules: the data-access types, the
    /// policy catalog (read on first use), and the options of each configuration.
    /// </summary>
    internal sealed class AnalysisEnvironment
    {
        private static readonly ConditionalWeakTable<Compilation, ConditionalWeakTable<AnalyzerOptions, AnalysisEnvironment>> Sessions = new();

        private readonly Lazy<PolicyCatalog> _catalog;
        private readonly ConditionalWeakTable<AnalyzerConfigOptions, TenantGuardOptions> _options = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TenantGuardOptions> _optionsBySignature = new(StringComparer.Ordinal);

        private readonly Compilation _compilation;

        private AnalysisEnvironment(DataAccessSymbols? symbols, Compilation compilation, AnalyzerOptions options)
        {
            Symbols = symbols;
            // The composition root: the models are built with every family's site recognizers, and the summaries run the
            // flow over their callees through the flow's ICalleeFlow.
            Summaries = symbols is null ? null : new MethodSummaries(symbols, SiteRecognizers.All, new CalleeFlow());
            _compilation = compilation;
            _catalog = new Lazy<PolicyCatalog>(() => MigrationSources.Read(compilation, options.AdditionalFiles, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
            _tenantInterceptor = new Lazy<bool>(() => symbols is not null && HasTenantInterceptor(compilation, symbols), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        private readonly Lazy<bool> _tenantInterceptor;

        /// <summary>Whether the compilation declares an EF Core interceptor that applies a tenant setting (read once).</summary>
        public bool TenantInterceptor => _tenantInterceptor.Value;

        /// <summary>Built on first use: a compilation without EF Core interceptors (or without data access) never pays for it.</summary>
        private static class SettingText
        {
            public static readonly System.Text.RegularExpressions.Regex Pattern = new(
                @"set_config\s*\(|\bSET\s+(?:LOCAL\s+|SESSION\s+)?[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_]",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        }

        private static bool HasTenantInterceptor(Compilation compilation, DataAccessSymbols symbols)
        {
            if (symbols.IDbConnectionInterceptor is null && symbols.IDbCommandInterceptor is null && symbols.IDbTransactionInterceptor is null)
            {
                return false;
            }

            foreach (var symbol in compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type))
            {
                if (symbol is not ITypeSymbol type || !symbols.IsInterceptor(type))
                {
                    continue;
                }

                var followed = new HashSet<string>(StringComparer.Ordinal);
                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    if (AppliesSetting(compilation, reference.GetSyntax(), depth: 0, followed))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private const int MaxHelperDepth = 3;

        /// <summary>
        /// Whether code applies a setting: its own text, or that of the project's methods it calls, by name
        /// (<c>TenantSql.ApplyAsync(connection, tenant)</c> in an interceptor, and <c>Prepare(cmd, tenant)</c> in that), up
        /// to <see cref="MaxHelperDepth"/> calls deep. By name, from syntax: no semantic model at compilation start.
        /// </summary>
        private static bool AppliesSetting(Compilation compilation, SyntaxNode code, int depth, HashSet<string> followed)
        {
            if (SettingText.Pattern.IsMatch(code.ToString()))
            {
                return true;
            }

            if (depth >= MaxHelperDepth)
            {
                return false;
            }

            foreach (var invocation in code.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = invocation.Expression switch
                {
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    _ => null,
                };
                if (name is null || !followed.Add(name))
                {
                    continue;
                }

                foreach (var symbol in compilation.GetSymbolsWithName(name, SymbolFilter.Member))
                {
                    if (symbol is not IMethodSymbol method)
                    {
                        continue;
                    }

                    foreach (var reference in method.DeclaringSyntaxReferences)
                    {
                        if (AppliesSetting(compilation, reference.GetSyntax(), depth + 1, followed))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        /// <summary>The data-access types, or null when the compilation references none (TenantGuard then does nothing).</summary>
        public DataAccessSymbols? Symbols { get; }

        /// <summary>
        /// What the project's own methods do, computed on demand for this compilation, with the builder of the methods'
        /// models (<see cref="MethodSummaries.Models"/>); null when <see cref="Symbols"/> is.
        /// </summary>
        public MethodSummaries? Summaries { get; }

        /// <summary>The policy catalog from the migrations, read once on first use.</summary>
        public PolicyCatalog Catalog => _catalog.Value;

        /// <summary>
        /// The one session of a compilation and its analyzer options, shared by every TenantGuard rule, for the rules on
        /// code: null when the compilation references none of Npgsql, Dapper and EF Core relational (nor opts into plain
        /// ADO.NET), decided from the referenced assembly names before anything is built.
        /// </summary>
        public static AnalysisEnvironment? Get(Compilation compilation, AnalyzerOptions options) => Session(compilation, options, schema: false);

        /// <summary>
        /// The same session for the rules on the schema (TG0002, TG20xx), which need the catalog alone: also in a
        /// compilation without data access that may hold migrations (a <c>.sql</c> AdditionalFile, or a reference to
        /// FluentMigrator); null when it has neither, decided from file names before anything is read.
        /// </summary>
        public static AnalysisEnvironment? ForSchema(Compilation compilation, AnalyzerOptions options) => Session(compilation, options, schema: true);

        private static AnalysisEnvironment? Session(Compilation compilation, AnalyzerOptions options, bool schema)
        {
            var plainAdoNet = TenantGuardOptions.ReadBool(options.AnalyzerConfigOptionsProvider.GlobalOptions, TenantGuardOptions.AnalyzePlainAdoNetKey, false);
            var libraries = Libraries.GetValue(compilation, c => new ReferencedLibraries(c));
            var dataAccess = plainAdoNet || libraries.DataAccess;
            if (!dataAccess && !(schema && MayHoldMigrations(libraries, options)))
            {
                return null;
            }

            var environment = Sessions.GetValue(compilation, _ => new ConditionalWeakTable<AnalyzerOptions, AnalysisEnvironment>())
                .GetValue(options, o => new AnalysisEnvironment(dataAccess ? DataAccessSymbols.TryCreate(compilation, plainAdoNet) : null, compilation, o));
            return environment.Symbols is not null || schema ? environment : null;
        }

        /// <summary>
        /// What a compilation references, read once for every rule: each of them asks at its compilation start, and in a
        /// project without data access that is all TenantGuard does.
        /// </summary>
        private static readonly ConditionalWeakTable<Compilation, ReferencedLibraries> Libraries = new();

        /// <summary>A <c>.sql</c> AdditionalFile, or a reference to FluentMigrator (whose migrations are C# strings).</summary>
        private static bool MayHoldMigrations(ReferencedLibraries libraries, AnalyzerOptions options)
        {
            foreach (var file in options.AdditionalFiles)
            {
                if (file.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return libraries.FluentMigrator;
        }

        private SqlSuppressions? _suppressions;
        private TenantGuardOptions? _projectOptions;
        private FileSeverities? _severities;

        /// <summary>The configured severities of diagnostics on the migrations' .sql files (and on no file).</summary>
        /// <remarks>
        /// The rules ask concurrently: two may each make one, and every rule gets the first one published
        /// (<see cref="LazyInitializer"/>; a plain <c>??=</c> could hand two rules two different instances).
        /// </remarks>
        public FileSeverities Severities(AnalyzerOptions options) =>
            LazyInitializer.EnsureInitialized(ref _severities, () => new FileSeverities(_compilation, options))!;

        /// <summary>The project-wide options (global configuration) with the catalog folded in, built once for every schema rule.</summary>
        public TenantGuardOptions ProjectOptions(AnalyzerOptions options) =>
            LazyInitializer.EnsureInitialized(ref _projectOptions, () => new TenantGuardOptions(options.AnalyzerConfigOptionsProvider.GlobalOptions, Catalog, TenantInterceptor))!;

        /// <summary>The <c>tenantguard:disable</c> comments of the migrations (read on first use).</summary>
        public SqlSuppressions Suppressions(AnalyzerOptions options) =>
            LazyInitializer.EnsureInitialized(ref _suppressions, () => new SqlSuppressions(options.AdditionalFiles))!;

        /// <summary>The options that apply to a syntax tree, with the catalog folded in.</summary>
        /// <remarks>
        /// Made once per distinct configuration (<see cref="TenantGuardOptions.Signature"/>), not once per file: most
        /// projects have one for all their files.
        /// </remarks>
        public TenantGuardOptions OptionsFor(AnalyzerOptions options, SyntaxTree tree) =>
            _options.GetValue(options.AnalyzerConfigOptionsProvider.GetOptions(tree), config =>
                _optionsBySignature.GetOrAdd(TenantGuardOptions.Signature(config), _ => new TenantGuardOptions(config, Catalog, TenantInterceptor)));
    }
}

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>
    /// TG1011: an EF Core interceptor applies the tenant setting where it cannot work: commands in
    /// <c>ConnectionOpening*</c> (before the connection is open), a transaction-local setting in <c>ConnectionOpened*</c>
    /// (no transaction is open then), or only one of a sync/async callback pair. Reads the interceptor's callbacks, the
    /// helpers they call in the same class, and the project's own methods of other classes they call.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class InterceptorTenantSettingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly ImmutableHashSet<string> Callbacks = ImmutableHashSet.Create(
            "ConnectionOpening", "ConnectionOpeningAsync", "ConnectionOpened", "ConnectionOpenedAsync", "TransactionStarted", "TransactionStartedAsync");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1011_InterceptorCannotApplySetting);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (AnalysisEnvironment.Get(start.Compilation, start.Options) is not { } environment)
                {
                    return;
                }

                var symbols = environment.Symbols;
                if (symbols?.IDbConnectionInterceptor is null && symbols?.IDbTransactionInterceptor is null)
                {
                    return;
                }

                start.RegisterSymbolStartAction(
                    symbolStart =>
                    {
                        var type = (INamedTypeSymbol)symbolStart.Symbol;
                        if (!symbols!.IsInterceptor(type))
                        {
                            return;
                        }

                        var methods = new ConcurrentDictionary<IMethodSymbol, MethodAnalysis>(SymbolEqualityComparer.Default);
                        symbolStart.RegisterOperationBlockAction(block =>
                        {
                            if (block.OwningSymbol is not IMethodSymbol method)
                            {
                                return;
                            }

                            // The body, not a parameter's default value (also an operation block).
                            foreach (var operationBlock in block.OperationBlocks)
                            {
                                var root = MethodAnalysis.RootOf(operationBlock);
                                if (MethodAnalysis.IsAnalyzableRoot(root))
                                {
                                    if (MethodAnalysis.Get(block, operationBlock, root, environment) is { } analysis)
                                    {
                                        methods[method] = analysis;
                                    }

                                    return;
                                }
                            }
                        });
                        symbolStart.RegisterSymbolEndAction(end => Evaluate(end, type, methods));
                    },
                    SymbolKind.NamedType);
            });
        }

        private static void Evaluate(SymbolAnalysisContext context, INamedTypeSymbol type, ConcurrentDictionary<IMethodSymbol, MethodAnalysis> methods)
        {
            // One report per place and finding: a helper's setting is seen both as SQL it runs and as text it writes (and,
            // since the model reads helper-written text too, as the command's own SQL at the call): the first one listed
            // wins, and the lists put the findings that name a helper first.
            var reported = new HashSet<(Location, string)>();
            void Report(Location location, string finding, string message)
            {
                if (reported.Add((location, finding)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1011_InterceptorCannotApplySetting, location, message));
                }
            }

            foreach (var pair in methods)
            {
                var method = pair.Key;
                if (!Callbacks.Contains(method.Name) || !(method.IsOverride || method.ExplicitInterfaceImplementations.Length > 0 || ImplementsInterfaceMember(type, method)))
                {
                    continue;
                }

                var settings = new List<(Location Location, SettingAssignment Setting, string Via)>();
                var executions = new List<(Location Location, string Via)>();
                var analysis = pair.Value;
                Collect(analysis.Model, analysis.Options.TenantSettings, methods, settings, executions, via: null, depth: 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
                settings = settings.OrderBy(s => s.Via.Length == 0).ToList();
                executions = executions.OrderBy(e => e.Via.Length == 0).ToList();
                var opening = method.Name.StartsWith("ConnectionOpening", System.StringComparison.Ordinal);
                var opened = method.Name.StartsWith("ConnectionOpened", System.StringComparison.Ordinal);

                if (opening)
                {
                    foreach (var (location, via) in executions)
                    {
                        Report(location, "opening", $"'{method.Name}' runs SQL{via} before the connection is open: the command fails, or a State == Open guard skips it, and the queries run without the tenant setting; apply the setting in ConnectionOpened (for the session) or TransactionStarted (transaction-locally)");
                    }
                }

                if (opened)
                {
                    foreach (var (location, setting, via) in settings)
                    {
                        if (setting.Scope == SettingScope.TransactionLocal)
                        {
                            Report(location, "local:" + setting.Name, $"'{setting.Name}' is set transaction-locally in '{method.Name}'{via}, but no transaction is open when a connection opens: the setting ends with its own statement and the queries run without it; set it for the session here (Npgsql resets it when the connection returns to the pool), or transaction-locally in TransactionStarted");
                        }
                    }
                }

                // Sync and async callbacks: EF Core calls one or the other, depending on the API the code uses.
                if (settings.Count > 0 || (opening && executions.Count > 0))
                {
                    var counterpart = method.Name.EndsWith("Async", System.StringComparison.Ordinal) ? method.Name.Substring(0, method.Name.Length - "Async".Length) : method.Name + "Async";
                    if (!Declares(type, counterpart) && method.Locations.Length > 0)
                    {
                        var path = counterpart.EndsWith("Async", System.StringComparison.Ordinal) ? "asynchronously (OpenAsync, ToListAsync, SaveChangesAsync)" : "synchronously (Open, ToList, SaveChanges)";
                        Report(method.Locations[0], "counterpart", $"Only '{method.Name}' applies the tenant setting and '{counterpart}' is not overridden: connections and transactions EF Core opens {path} run without the tenant; override '{counterpart}' too");
                    }
                }
            }
        }

        /// <summary>
        /// The settings a callback applies and the SQL it runs, in its body and in the helpers it calls: methods of the
        /// interceptor, and the project's own methods of other classes that summaries can read (a static
        /// <c>RlsConfig.SetTenantAsync(command, tenant)</c>), up to three calls deep.
        /// </summary>
        private static void Collect(
            MethodModel model,
            ImmutableHashSet<string> tenantSettings,
            ConcurrentDictionary<IMethodSymbol, MethodAnalysis> methods,
            List<(Location, SettingAssignment, string)> settings,
            List<(Location, string)> executions,
            (Location Location, string Name)? via,
            int depth,
            HashSet<IMethodSymbol> seen)
        {
            var suffix = via is { } helper ? $" (through '{helper.Name}')" : string.Empty;
            foreach (var site in model.Sites)
            {
                executions.Add((via?.Location ?? site.Location, suffix));
                if (site.Sql is null)
                {
                    continue;
                }

                foreach (var statement in site.Sql.Script.Statements)
                {
                    foreach (var setting in statement.Settings)
                    {
                        if (setting.Name is not null && tenantSettings.Contains(setting.Name))
                        {
                            settings.Add((via?.Location ?? SqlRules.LocationOf(site, setting.Start, setting.End), setting, suffix));
                        }
                    }
                }
            }

            // Text written into a command that the caller executes (PrepareCommand(cmd, tenant) sets cmd.CommandText).
            if (via is not null)
            {
                foreach (var operation in OperationHelpers.DescendantsInBody(model.Root))
                {
                    if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText" }, Value: { } value }
                        && SqlTextResolver.Resolve(value, model, bound: false) is { } text)
                    {
                        foreach (var statement in text.Script.Statements)
                        {
                            foreach (var setting in statement.Settings)
                            {
                                if (setting.Name is not null && tenantSettings.Contains(setting.Name))
                                {
                                    settings.Add((via.Value.Location, setting, suffix));
                                }
                            }
                        }
                    }
                }
            }

            if (depth >= 3)
            {
                return;
            }

            foreach (var operation in OperationHelpers.DescendantsInBody(model.Root))
            {
                // A method of the same interceptor (a helper such as PrepareCommand(cmd, tenant)), or of another class of the
                // project (RlsConfig.SetTenantAsync(cmd, tenant)); library methods and what summaries cannot read are not followed.
                if (operation is IInvocationOperation { TargetMethod: { } target } invocation
                    && (methods.TryGetValue(target.OriginalDefinition, out var own) ? own.Model : OtherClassModel(target, model)) is { } callee
                    && seen.Add(target.OriginalDefinition))
                {
                    Collect(callee, tenantSettings, methods, settings, executions, via ?? (invocation.Syntax.GetLocation(), target.Name), depth + 1, seen);
                }
            }
        }

        private static MethodModel? OtherClassModel(IMethodSymbol target, MethodModel caller) =>
            MethodModel.IsLibraryMethod(target) ? null : caller.Symbols.Summaries.ReadableModelOf(target);

        private static bool ImplementsInterfaceMember(INamedTypeSymbol type, IMethodSymbol method)
        {
            foreach (var @interface in type.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Whether the interceptor (or a base class of it in the project) declares a callback of that name.</summary>
        private static bool Declares(INamedTypeSymbol type, string name)
        {
            for (var current = type; current is not null && current.Locations.Length > 0 && current.Locations[0].IsInSource; current = current.BaseType)
            {
                if (current.GetMembers(name).Length > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>
    /// TG1011: an EF Core interceptor applies the tenant setting where it cannot work: commands in
    /// <c>ConnectionOpening*</c> (before the connection is open), a transaction-local setting in <c>ConnectionOpened*</c>
    /// (no transaction is open then), only one of a sync/async callback pair applying it (the other not overridden, or
    /// running no SQL), or a method named like a callback with other parameters, which EF Core never calls. Reads the
    /// interceptor's callbacks, the helpers they call in the same class, and the project's own methods of other classes
    /// they call.
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
                                    if (MethodAnalysis.Get(block, root, environment) is { } analysis)
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

            var callbacks = new Dictionary<string, Callback>(System.StringComparer.Ordinal);
            foreach (var pair in methods)
            {
                var method = pair.Key;
                if (!Callbacks.Contains(method.Name))
                {
                    continue;
                }

                var callback = new Callback(method);
                var analysis = pair.Value;
                Collect(analysis.Model, analysis.Summaries, analysis.Options, methods, callback, via: null, depth: 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

                // Text written into a command counts when something executes it: a chain that runs no SQL never sends it.
                if (callback.Executions.Count > 0)
                {
                    callback.Settings.AddRange(callback.Written);
                }

                if (!(method.IsOverride || method.ExplicitInterfaceImplementations.Length > 0 || ImplementsInterfaceMember(type, method)))
                {
                    // Named like a callback, with other parameters: EF Core calls the interface's (or base class's) own
                    // member, and this one never runs (default interface members make it compile without a word).
                    if (callback.Settings.Count > 0 && method.Locations.Length > 0 && EfCoreCallback(type, method.Name) is { } expected && !CalledInType(method, methods))
                    {
                        var declaring = expected.ContainingType.Name + "." + expected.Name;
                        Report(method.Locations[0], "unreached", $"'{method.Name}' does not implement {declaring}, whose parameters differ ({string.Join(", ", expected.Parameters.Select(p => p.Type.Name))}): EF Core never calls it, and the tenant setting it applies is never applied; give it the parameters of {declaring}");
                    }

                    continue;
                }

                callback.Settings.Sort((a, b) => (a.Via.Length == 0).CompareTo(b.Via.Length == 0));
                callback.Executions.Sort((a, b) => (a.Via.Length == 0).CompareTo(b.Via.Length == 0));
                callbacks[method.Name] = callback;
            }

            foreach (var callback in callbacks.Values)
            {
                var method = callback.Method;
                var settings = callback.Settings;
                var executions = callback.Executions;
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
                    var path = counterpart.EndsWith("Async", System.StringComparison.Ordinal) ? "asynchronously (OpenAsync, ToListAsync, SaveChangesAsync)" : "synchronously (Open, ToList, SaveChanges)";
                    if (!Declares(type, counterpart) && method.Locations.Length > 0)
                    {
                        Report(method.Locations[0], "counterpart", $"Only '{method.Name}' applies the tenant setting and '{counterpart}' is not overridden: connections and transactions EF Core opens {path} run without the tenant; override '{counterpart}' too");
                    }
                    else if (settings.Count > 0 && callbacks.TryGetValue(counterpart, out var other) && other.Settings.Count == 0 && other.Executions.Count == 0
                        && !other.Opaque && !other.Throws && other.Method.Locations.Length > 0)
                    {
                        // Overridden, but it runs no SQL at all, as far as every call in it can be read: as good as not overridden.
                        Report(other.Method.Locations[0], "counterpart", $"'{method.Name}' applies the tenant setting, but '{counterpart}' runs no SQL that applies it: connections and transactions EF Core opens {path} run without the tenant; apply it in '{counterpart}' too");
                    }
                }
            }
        }

        /// <summary>What one callback does, with the helpers it calls.</summary>
        private sealed class Callback
        {
            public Callback(IMethodSymbol method) => Method = method;

            public IMethodSymbol Method { get; }

            public List<(Location Location, SettingAssignment Setting, string Via)> Settings { get; } = new();

            /// <summary>Settings in command text a helper writes (counted when the chain executes anything).</summary>
            public List<(Location Location, SettingAssignment Setting, string Via)> Written { get; } = new();

            public List<(Location Location, string Via)> Executions { get; } = new();

            /// <summary>It calls a method TenantGuard cannot read (an interface, virtual or other assembly's method of the project's).</summary>
            public bool Opaque { get; set; }

            /// <summary>It always throws (a callback that refuses the synchronous path says so loudly).</summary>
            public bool Throws { get; set; }
        }

        /// <summary>
        /// The settings a callback applies and the SQL it runs, in its body and in the helpers it calls: methods of the
        /// interceptor, and the project's own methods of other classes that summaries can read (a static
        /// <c>RlsConfig.SetTenantAsync(command, tenant)</c>), up to three calls deep.
        /// </summary>
        private static void Collect(
            MethodModel model,
            MethodSummaries summaries,
            TenantGuardOptions options,
            ConcurrentDictionary<IMethodSymbol, MethodAnalysis> methods,
            Callback callback,
            (Location Location, string Name)? via,
            int depth,
            HashSet<IMethodSymbol> seen)
        {
            var settings = callback.Settings;
            var executions = callback.Executions;
            var suffix = via is { } helper ? $" (through '{helper.Name}')" : string.Empty;
            foreach (var site in model.Sites)
            {
                executions.Add((via?.Location ?? site.Location, suffix));
                AddSettings(site);
                foreach (var alternative in site.Alternatives)
                {
                    AddSettings(site.WithSql(alternative)); // applied on the paths that pick this text
                }
            }

            void AddSettings(ExecutionSite site)
            {
                if (site.Sql is null)
                {
                    return;
                }

                foreach (var statement in site.Sql.Script.Statements)
                {
                    foreach (var setting in statement.Settings)
                    {
                        if (setting.Name is not null && options.IsTenantSetting(setting.Name))
                        {
                            settings.Add((via?.Location ?? SiteSql.LocationOf(site, setting.Start, setting.End), setting, suffix));
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
                                if (setting.Name is not null && options.IsTenantSetting(setting.Name))
                                {
                                    callback.Written.Add((via.Value.Location, setting, suffix));
                                }
                            }
                        }
                    }
                }
            }

            foreach (var operation in OperationHelpers.DescendantsInBody(model.Root))
            {
                if (depth == 0 && operation is IThrowOperation && Unconditional(operation))
                {
                    callback.Throws = true;
                    continue;
                }

                // A method of the same interceptor (a helper such as PrepareCommand(cmd, tenant)), or of another class of the
                // project (RlsConfig.SetTenantAsync(cmd, tenant)); library methods and what summaries cannot read are not followed.
                if (operation is not IInvocationOperation { TargetMethod: { } target } invocation || MethodModel.IsLibraryMethod(target))
                {
                    continue;
                }

                var callee = methods.TryGetValue(target.OriginalDefinition, out var own) ? own.Model : summaries.ReadableModelOf(target);
                if (callee is null || depth >= 3)
                {
                    callback.Opaque = true;
                }
                else if (seen.Add(target.OriginalDefinition))
                {
                    Collect(callee, summaries, options, methods, callback, via ?? (invocation.Syntax.GetLocation(), target.Name), depth + 1, seen);
                }
            }
        }

        /// <summary>A throw the callback always reaches: a statement of its body (<c>=&gt; throw ...</c>), not a guard's or a catch's.</summary>
        private static bool Unconditional(IOperation operation)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is not (IBlockOperation or IExpressionStatementOperation or IReturnOperation or IMethodBodyOperation))
                {
                    return false;
                }
            }

            return true;
        }

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

        /// <summary>The EF Core member of that name the interceptor's interfaces or EF Core base class declare, if any.</summary>
        private static IMethodSymbol? EfCoreCallback(INamedTypeSymbol type, string name)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (!current.Locations.Any(l => l.IsInSource) && current.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault() is { } inherited)
                {
                    return inherited;
                }
            }

            foreach (var @interface in type.AllInterfaces)
            {
                if (@interface.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault() is { } member)
                {
                    return member;
                }
            }

            return null;
        }

        /// <summary>Whether one of the interceptor's methods calls it (then it is a helper, whatever its name).</summary>
        private static bool CalledInType(IMethodSymbol method, ConcurrentDictionary<IMethodSymbol, MethodAnalysis> methods)
        {
            foreach (var analysis in methods.Values)
            {
                foreach (var operation in OperationHelpers.DescendantsInBody(analysis.Model.Root))
                {
                    if (operation is IInvocationOperation invocation && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition))
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

using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// Whether a call of one of the project's methods may reach the network, and through which calls (TG1005); interface
    /// and abstract methods are followed into the project's implementations.
    /// </summary>
    internal sealed partial class MethodSummaries
    {
        private readonly ConditionalWeakTable<ImmutableHashSet<string>, ConcurrentDictionary<IMethodSymbol, string?>> _networkPaths = new();
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);

        /// <summary>
        /// How a call of the method reaches the network, when it may (<c>SquareClient.FetchCustomersAsync</c> calling
        /// <c>HttpClient.GetAsync</c>): the calls from it to the network call, outermost first; null when it does not, as
        /// far as TenantGuard can read (interface and virtual calls are not followed).
        /// </summary>
        public ImmutableArray<string> NetworkPath(IMethodSymbol method, ImmutableHashSet<string> networkTypes)
        {
            var cache = _networkPaths.GetValue(networkTypes, _ => new ConcurrentDictionary<IMethodSymbol, string?>(SymbolEqualityComparer.Default));
            if (method.ContainingType?.TypeKind == TypeKind.Interface || method.IsAbstract)
            {
                // A call through an interface (an injected IPaymentGateway) or an abstract method: the project's own
                // implementations, any of which may be the one that runs.
                foreach (var implementation in ImplementationsOf(method))
                {
                    if (Summarize(cache, implementation, m => ComputeNetworkPath(m, networkTypes), unknown: null) is { } inner)
                    {
                        return ImmutableArray.Create((Name(implementation) + "\n" + inner).Split('\n'));
                    }
                }

                return default;
            }

            return Summarize(cache, method, m => ComputeNetworkPath(m, networkTypes), unknown: null) is { } path ? ImmutableArray.Create(path.Split('\n')) : default;
        }

        private static string Name(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;

        /// <summary>The source methods of the compilation that implement an interface method or override an abstract one.</summary>
        private ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method) =>
            _implementations.GetOrAdd(method.OriginalDefinition, m =>
            {
                var result = ImmutableArray.CreateBuilder<IMethodSymbol>();
                if (m.DeclaringSyntaxReferences.Length == 0)
                {
                    return result.ToImmutable();
                }

                foreach (var symbol in _symbols.Compilation.GetSymbolsWithName(m.Name, SymbolFilter.Member))
                {
                    if (symbol is not IMethodSymbol { IsAbstract: false } candidate || candidate.ContainingType is not { } type)
                    {
                        continue;
                    }

                    var implements = m.ContainingType.TypeKind == TypeKind.Interface
                        ? SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(m)?.OriginalDefinition, candidate.OriginalDefinition)
                        : Overrides(candidate, m);
                    if (implements)
                    {
                        result.Add(candidate);
                    }
                }

                return result.ToImmutable();
            });

        private static bool Overrides(IMethodSymbol candidate, IMethodSymbol method)
        {
            for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
                {
                    return true;
                }
            }

            return false;
        }

        private string? ComputeNetworkPath(IMethodSymbol method, ImmutableHashSet<string> networkTypes)
        {
            if (Body(method) is not { } body)
            {
                return null;
            }

            foreach (var operation in body.DescendantsAndSelf())
            {
                if (operation.Kind != OperationKind.Invocation || operation is not IInvocationOperation call)
                {
                    continue;
                }

                var receiver = OperationHelpers.Receiver(call);
                if (MethodModel.GoesOverNetwork(call, receiver?.Type, _symbols, networkTypes))
                {
                    return (receiver?.Type ?? call.TargetMethod.ContainingType).Name + "." + call.TargetMethod.Name;
                }

                if (!MethodModel.IsLibraryMethod(call.TargetMethod) && NetworkPath(call.TargetMethod, networkTypes) is { IsDefault: false } inner)
                {
                    return Name(call.TargetMethod) + "\n" + string.Join("\n", inner);
                }
            }

            return null;
        }
    }
}

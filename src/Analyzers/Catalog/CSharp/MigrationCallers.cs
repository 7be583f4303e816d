using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>
    /// The ways each migration helper runs: a method of any class (static, extension or instance) called from a
    /// migration, or from another helper, is read once per call with the values that call passes
    /// (<c>migrationBuilder.EnableTenantRls("users")</c> reads <c>EnableTenantRls(this MigrationBuilder mb, string table)</c>
    /// with <c>table = "users"</c>), ordered where the outermost call stands. Calls are found by name from syntax, across
    /// every source file of the compilation, <see cref="MaxDepth"/> calls deep at most, recursion-safe; calls from a
    /// migration's <c>Down()</c> undo it and are not followed. Also knows each migration's order
    /// (<c>[Migration("20240301120000_AddRls")]</c>, FluentMigrator's <c>[Migration(2)]</c>, else the file name).
    /// </summary>
    internal sealed class MigrationCallers
    {
        private const int MaxDepth = 3;
        private const int MaxContexts = 64;

        private static readonly IReadOnlyList<CallContext> RootOnly = new[] { CallContext.Root };

        private readonly IReadOnlyList<(SyntaxTree Tree, string Text)> _trees;
        private readonly Dictionary<MethodDeclarationSyntax, IReadOnlyList<CallContext>> _contexts = new();
        private readonly CSharpValues _values;
        private Dictionary<string, string>? _migrationIds;

        /// <param name="trees">Every source file of the compilation with its text, generated ones included (designer files hold <c>[Migration]</c>).</param>
        public MigrationCallers(IReadOnlyList<(SyntaxTree Tree, string Text)> trees, CSharpValues values)
        {
            _trees = trees;
            _values = values;
        }

        /// <summary>The contexts the code around a node runs in: one per call of its method, or <see cref="CallContext.Root"/>; none when only <c>Down()</c> calls it.</summary>
        public IReadOnlyList<CallContext> ContextsOf(SyntaxNode node) =>
            node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { } method
                ? Contexts(method, 0, ImmutableHashSet<MethodDeclarationSyntax>.Empty)
                : RootOnly;

        /// <summary>The order of the migration a node stands in: its <c>[Migration]</c> id, else its file name.</summary>
        public string OrderKey(SyntaxNode node)
        {
            if (node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().LastOrDefault() is { } type && MigrationIds().TryGetValue(type.Identifier.ValueText, out var id))
            {
                return id;
            }

            return System.IO.Path.GetFileName(node.SyntaxTree.FilePath);
        }

        private IReadOnlyList<CallContext> Contexts(MethodDeclarationSyntax method, int depth, ImmutableHashSet<MethodDeclarationSyntax> visiting)
        {
            if (_contexts.TryGetValue(method, out var cached))
            {
                return cached;
            }

            if (visiting.Contains(method))
            {
                return Array.Empty<CallContext>(); // a recursive call adds no way in
            }

            var name = method.Identifier.ValueText;
            if (depth > MaxDepth || name is "Up" or "Down" || method.Modifiers.Any(SyntaxKind.OverrideKeyword))
            {
                return RootOnly;
            }

            visiting = visiting.Add(method);
            var result = new List<CallContext>();
            var calls = 0;
            foreach (var call in Calls(method, name))
            {
                calls++;
                var caller = call.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault();
                if (caller?.Identifier.ValueText == "Down")
                {
                    continue; // Down() undoes the migration
                }

                var callerContexts = caller is null ? RootOnly : Contexts(caller, depth + 1, visiting);
                foreach (var callerContext in callerContexts)
                {
                    foreach (var context in Arguments(call, method, callerContext, callerContext.OrderKey ?? OrderKey(call)))
                    {
                        if (result.Count < MaxContexts)
                        {
                            result.Add(context);
                        }
                    }
                }
            }

            IReadOnlyList<CallContext> contexts = calls == 0 ? RootOnly : result;
            if (depth == 0)
            {
                _contexts[method] = contexts;
            }

            return contexts;
        }

        /// <summary>The invocations that may call a method: by name, in the files that mention it, with arguments its parameters take.</summary>
        private IEnumerable<InvocationExpressionSyntax> Calls(MethodDeclarationSyntax method, string name)
        {
            var type = method.Parent as TypeDeclarationSyntax;
            var isPrivate = !method.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword));
            foreach (var (tree, text) in _trees)
            {
                if (isPrivate ? tree != method.SyntaxTree : text.IndexOf(name, StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (CalledName(call) != name || call.Ancestors().Contains(method) || !MayCall(call, method, type, isPrivate))
                    {
                        continue;
                    }

                    yield return call;
                }
            }
        }

        /// <summary>The name of the method an invocation calls, as written: <c>Helper(...)</c>, <c>x.Helper(...)</c>, <c>Helper&lt;T&gt;(...)</c>.</summary>
        public static string? CalledName(InvocationExpressionSyntax call) => call.Expression switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };

        /// <summary>
        /// Whether a call of that name may be this method: a private one only from its own type; a static one as
        /// <c>Helper(...)</c> or <c>Type.Helper(...)</c> with its own type's name; an extension method also as
        /// <c>receiver.Helper(...)</c>; an instance one on any receiver.
        /// </summary>
        private static bool MayCall(InvocationExpressionSyntax call, MethodDeclarationSyntax method, TypeDeclarationSyntax? type, bool isPrivate)
        {
            if (isPrivate && call.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText != type?.Identifier.ValueText)
            {
                return false;
            }

            if (call.Expression is not MemberAccessExpressionSyntax { Expression: var receiver } || receiver is ThisExpressionSyntax)
            {
                return true;
            }

            var named = receiver is IdentifierNameSyntax { Identifier.ValueText: var receiverName } && receiverName == type?.Identifier.ValueText;
            return named || IsExtension(method) || !method.Modifiers.Any(SyntaxKind.StaticKeyword);
        }

        private static bool IsExtension(MethodDeclarationSyntax method) =>
            method.ParameterList.Parameters.FirstOrDefault()?.Modifiers.Any(SyntaxKind.ThisKeyword) == true;

        /// <summary>The contexts one call gives its method: its arguments' values, one context per loop value they take.</summary>
        private IEnumerable<CallContext> Arguments(InvocationExpressionSyntax call, MethodDeclarationSyntax method, CallContext caller, string orderKey)
        {
            var parameters = method.ParameterList.Parameters;
            var offset = IsExtension(method) && call.Expression is MemberAccessExpressionSyntax { Expression: var receiver }
                && !(receiver is IdentifierNameSyntax { Identifier.ValueText: var typeName } && typeName == (method.Parent as TypeDeclarationSyntax)?.Identifier.ValueText)
                ? 1
                : 0;

            var values = new List<(string Name, List<string> Values)>();
            var lists = ImmutableDictionary<string, ImmutableArray<string>>.Empty;
            var given = new HashSet<string>(StringComparer.Ordinal);
            var positional = offset;
            foreach (var argument in call.ArgumentList.Arguments)
            {
                ParameterSyntax? parameter;
                if (argument.NameColon is { } nameColon)
                {
                    parameter = parameters.FirstOrDefault(p => p.Identifier.ValueText == nameColon.Name.Identifier.ValueText);
                }
                else if (positional < parameters.Count)
                {
                    parameter = parameters[positional++];
                }
                else
                {
                    parameter = parameters.LastOrDefault(p => p.Modifiers.Any(SyntaxKind.ParamsKeyword));
                }

                if (parameter is null)
                {
                    yield break; // not a call of this method
                }

                var name = parameter.Identifier.ValueText;
                given.Add(name);
                if (parameter.Modifiers.Any(SyntaxKind.ParamsKeyword) && argument.NameColon is null && _values.Values(argument.Expression, caller) is { } elements)
                {
                    // Each element of a params list (every value a loop variable takes, for a list read as a whole).
                    lists = lists.SetItem(name, (lists.TryGetValue(name, out var earlier) ? earlier : ImmutableArray<string>.Empty).AddRange(elements));
                }
                else if (argument.Expression is IdentifierNameSyntax passed && CSharpValues.IsParameter(passed) && caller.Lists.TryGetValue(passed.Identifier.ValueText, out var list))
                {
                    lists = lists.SetItem(name, list); // a collection the caller was given, passed on
                }
                else if (_values.Values(argument.Expression, caller) is { Count: > 0 } known)
                {
                    values.Add((name, known)); // a string, or each literal a loop variable runs over
                }
                else if (!(argument.Expression is IdentifierNameSyntax identifier && (CSharpValues.IsParameter(identifier) || CSharpValues.EnclosingLoop(identifier) is not null))
                    && _values.LiteralElements(argument.Expression, argument, 0) is { } literals)
                {
                    lists = lists.SetItem(name, literals.ToImmutableArray()); // new[] { "a", "b" }, or a local or field holding one
                }
            }

            // Every parameter without a default needs an argument: otherwise this is a call of another method of that name.
            // One left out takes its default.
            for (var i = offset; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                if (given.Contains(parameter.Identifier.ValueText) || parameter.Modifiers.Any(SyntaxKind.ParamsKeyword))
                {
                    continue;
                }

                if (parameter.Default is null)
                {
                    yield break;
                }

                if (_values.Value(parameter.Default.Value, CallContext.Root) is { } value)
                {
                    values.Add((parameter.Identifier.ValueText, new List<string> { value }));
                }
            }

            IEnumerable<ImmutableDictionary<string, string>> combinations = new[] { ImmutableDictionary<string, string>.Empty };
            foreach (var (name, known) in values)
            {
                combinations = combinations.SelectMany(prefix => known.Select(value => prefix.SetItem(name, value))).Take(MaxContexts).ToList();
            }

            var path = caller.Path ?? call.SyntaxTree.FilePath;
            var positions = caller.Positions.Add(call.SpanStart);
            foreach (var combination in combinations)
            {
                yield return new CallContext(combination, lists, path, orderKey, positions);
            }
        }

        /// <summary>Class name to migration id, from <c>[Migration(...)]</c> attributes anywhere (EF Core puts them in the designer file).</summary>
        private Dictionary<string, string> MigrationIds()
        {
            if (_migrationIds is not null)
            {
                return _migrationIds;
            }

            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (tree, text) in _trees)
            {
                if (text.IndexOf("Migration(", StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                foreach (var type in tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<TypeDeclarationSyntax>())
                {
                    foreach (var attribute in type.AttributeLists.SelectMany(list => list.Attributes))
                    {
                        var attributeName = attribute.Name is QualifiedNameSyntax qualified ? qualified.Right.Identifier.ValueText : (attribute.Name as IdentifierNameSyntax)?.Identifier.ValueText;
                        if (attributeName is not ("Migration" or "MigrationAttribute") || attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is not LiteralExpressionSyntax literal)
                        {
                            continue;
                        }

                        // EF Core: "20240301120000_AddRls"; FluentMigrator: a version number, ordered as a number.
                        ids[type.Identifier.ValueText] = literal.Token.Value switch
                        {
                            string id => id,
                            int or long => Convert.ToInt64(literal.Token.Value, System.Globalization.CultureInfo.InvariantCulture).ToString("D20", System.Globalization.CultureInfo.InvariantCulture),
                            _ => ids.TryGetValue(type.Identifier.ValueText, out var earlier) ? earlier : System.IO.Path.GetFileName(tree.FilePath),
                        };
                    }
                }
            }

            return _migrationIds = ids;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Summaries;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1001: apply the tenant setting with a transaction-local <c>set_config</c> and a bound value, on the same
    /// connection and transaction, before the query; when no transaction is open, open one around the connection's
    /// work. The tenant value is a parameter, local, field or property in scope whose name contains "tenant"; without
    /// one, no fix is offered (it would not compile).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ApplyTenantSettingCodeFix)), Shared]
    public sealed class ApplyTenantSettingCodeFix : SyntaxCodeFix
    {
        public const string EquivalenceKey = nameof(ApplyTenantSettingCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1001_MissingTenantContext.Id);

        protected override string Title => "Apply the tenant setting before the query";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(EquivalenceKey);

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            ExecutionCallAt(root, span);

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            var properties = diagnostic.Properties;
            if (!TransactionScaffold.TryLocate(diagnostic, target, out var connection, out var isDbContext, out var statement, out var block))
            {
                return null;
            }

            // The setting ran earlier with no transaction and expired with its own command: the fix is to run that
            // setting and the work in one transaction (what TG1007's fix writes), not to set it a second time.
            if (properties.TryGetValue(FixProperties.Expiry, out var expiry) && expiry == nameof(ExpiryReason.NoTransaction)
                && EarlierSetting(block, statement, connection) is { } earlier
                && TransactionScaffold.OpenTransaction(earlier, connection) is null)
            {
                var wrap = TransactionScaffold.Wrap(block, earlier, connection, isDbContext, semanticModel, _ => Enumerable.Empty<string>());
                return wrap is null ? null : token => root.ReplaceNode(block, wrap(token));
            }

            var settings = SettingValues(properties, semanticModel, statement.SpanStart);
            if (settings is null)
            {
                return null; // a value the fix would have to invent
            }

            var api = SetConfigWriter.For(semanticModel, statement.SpanStart, connection, isDbContext);
            if (api is null)
            {
                return null; // no data-access API in the file that can run it
            }

            var open = TransactionScaffold.OpenTransaction(statement, connection);
            properties.TryGetValue(FixProperties.Transaction, out var transaction);
            var transactionOpen = open is not null || (properties.TryGetValue(FixProperties.TransactionOpen, out var isOpen) && isOpen == "true");
            var async = SyntaxHelpers.IsInAsyncFunction(statement);
            var name = SyntaxHelpers.UniqueName(semanticModel, statement.SpanStart, "setTenant");
            if (transactionOpen)
            {
                return _ =>
                {
                    var inserted = api.Write(settings, connection, open ?? transaction, async, name).Select(text => SyntaxHelpers.Statement(text, statement));
                    var statements = SyntaxHelpers.InsertBefore(block.Statements, block.Statements.IndexOf(statement), inserted);
                    return api.WithUsing(root.ReplaceNode(block, block.WithStatements(statements)));
                };
            }

            var scaffold = TransactionScaffold.Wrap(block, statement, connection, isDbContext, semanticModel, tx => api.Write(settings, connection, tx, async, name));
            return scaffold is null ? null : token => api.WithUsing(root.ReplaceNode(block, scaffold(token)));
        }

        /// <summary>The statement before <paramref name="statement"/> in the block that sets a tenant setting on the connection.</summary>
        private static StatementSyntax? EarlierSetting(BlockSyntax block, StatementSyntax statement, string connection)
        {
            for (var i = block.Statements.IndexOf(statement) - 1; i >= 0; i--)
            {
                var candidate = block.Statements[i];
                if (SyntaxHelpers.Mentions(candidate, connection)
                    && candidate.DescendantTokens().Any(t => (t.IsKind(SyntaxKind.StringLiteralToken) || t.IsKind(SyntaxKind.InterpolatedStringTextToken))
                        && (t.ValueText.IndexOf("set_config", StringComparison.OrdinalIgnoreCase) >= 0 || t.ValueText.IndexOf("set local", StringComparison.OrdinalIgnoreCase) >= 0)))
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>
        /// The value of each setting the diagnostic asks for (<see cref="FixProperties.Settings"/>): the tenant id in
        /// scope, the literal the policy compares the setting with, or a symbol named after the setting. Null when
        /// one of them has no value in scope: the fix never invents one.
        /// </summary>
        internal static List<(string Name, SettingValue Value)>? SettingValues(ImmutableDictionary<string, string?> properties, SemanticModel model, int position)
        {
            var result = new List<(string, SettingValue)>();
            var encoded = properties.TryGetValue(FixProperties.Settings, out var text) && text is not null ? text
                : properties.TryGetValue(FixProperties.Setting, out var single) && single is not null ? single + "\t" + FixProperties.TenantValue
                : null;
            if (encoded is null)
            {
                return null;
            }

            var parameters = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in encoded.Split('\n'))
            {
                var parts = line.Split('\t');
                var name = parts[0];
                var kind = parts.Length > 1 ? parts[1] : FixProperties.TenantValue;
                if (kind == FixProperties.LiteralValue && parts.Length > 2)
                {
                    result.Add((name, new SettingValue(null, null, parts[2])));
                    continue;
                }

                var expression = kind == FixProperties.TenantValue ? FindTenantValue(model, position) : FindNamedValue(model, position, name);
                if (expression is null)
                {
                    return null;
                }

                var parameter = kind == FixProperties.TenantValue ? "tenant" : ParameterName(name);
                while (!parameters.Add(parameter))
                {
                    parameter += "_";
                }

                result.Add((name, new SettingValue(parameter, expression, null)));
            }

            return result.Count == 0 ? null : result;
        }

        /// <summary>A parameter name from a setting's last part: <c>app.user_id</c> gives <c>user_id</c>.</summary>
        private static string ParameterName(string setting)
        {
            var last = setting.Substring(setting.LastIndexOf('.') + 1);
            var chars = last.Where(c => char.IsLetterOrDigit(c) || c == '_').ToArray();
            return chars.Length == 0 || char.IsDigit(chars[0]) ? "p" + new string(chars) : new string(chars);
        }

        /// <summary>A symbol in scope named after a setting's last part (<c>role</c> or <c>Role</c> for <c>app.role</c>, <c>userId</c> for <c>app.user_id</c>).</summary>
        private static string? FindNamedValue(SemanticModel model, int position, string setting)
        {
            var wanted = setting.Substring(setting.LastIndexOf('.') + 1).Replace("_", string.Empty);
            foreach (var symbol in model.LookupSymbols(position).OrderBy(s => s.Kind).ThenBy(s => s.Name, StringComparer.Ordinal))
            {
                if (symbol.Name.Replace("_", string.Empty).Equals(wanted, StringComparison.OrdinalIgnoreCase) && ValueExpression(symbol) is { } expression)
                {
                    return expression;
                }
            }

            return null;
        }

        /// <summary>The symbol as a text value: strings as they are, numbers and Guids through ToString().</summary>
        private static string? ValueExpression(ISymbol symbol)
        {
            var type = SyntaxHelpers.TypeOf(symbol);
            return type?.SpecialType switch
            {
                null => null,
                SpecialType.System_String => symbol.Name,
                SpecialType.System_Int32 or SpecialType.System_Int64 => symbol.Name + ".ToString()",
                _ => type.ToDisplayString() == "System.Guid" ? symbol.Name + ".ToString()" : null,
            };
        }

        internal sealed class SettingValue
        {
            public SettingValue(string? parameter, string? expression, string? literal)
            {
                Parameter = parameter;
                Expression = expression;
                Literal = literal;
            }

            public string? Parameter { get; }

            public string? Expression { get; }

            public string? Literal { get; }
        }

        /// <summary>An expression for the tenant id as text, from a symbol in scope named like a tenant.</summary>
        internal static string? FindTenantValue(SemanticModel model, int position)
        {
            var candidates = new List<(int Rank, string Expression)>();
            foreach (var symbol in model.LookupSymbols(position))
            {
                if (symbol.Name.IndexOf("tenant", StringComparison.OrdinalIgnoreCase) < 0 || ValueExpression(symbol) is not { } expression)
                {
                    continue;
                }

                var rank = symbol.Name.Equals("tenantId", StringComparison.OrdinalIgnoreCase) ? 0 : symbol.Name.Equals("tenant", StringComparison.OrdinalIgnoreCase) ? 1 : 2;
                candidates.Add((rank, expression));
            }

            return candidates.OrderBy(c => c.Rank).ThenBy(c => c.Expression, StringComparer.Ordinal).Select(c => c.Expression).FirstOrDefault();
        }
    }
}

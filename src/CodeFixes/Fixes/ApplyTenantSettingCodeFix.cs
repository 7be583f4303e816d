using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
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
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1001_MissingTenantContext.Id);

        protected override string Title => "Apply the tenant setting before the query";

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            ExecutionCallAt(root, span);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var properties = diagnostic.Properties;
            if (!TransactionScaffold.TryLocate(diagnostic, target, out var connection, out var isDbContext, out var statement, out var block))
            {
                return null;
            }

            var settings = SettingValues(properties, semanticModel, statement.SpanStart);
            if (settings is null)
            {
                return null; // a value the fix would have to invent
            }

            var async = SyntaxHelpers.IsInAsyncFunction(statement);
            var dapper = semanticModel.Compilation.GetTypeByMetadataName("Dapper.SqlMapper") is not null;
            if (!isDbContext && !dapper)
            {
                return null; // the inserted call is written with Dapper or EF Core
            }

            var transactionOpen = properties.TryGetValue(FixProperties.TransactionOpen, out var open) && open == "true";
            properties.TryGetValue(FixProperties.Transaction, out var transaction);

            string SetConfig(string? tx)
            {
                var calls = new List<string>();
                var arguments = new List<string>();
                foreach (var (name, value) in settings)
                {
                    var settingLiteral = name.Replace("'", "''");
                    if (value.Literal is { } literal)
                    {
                        var sqlLiteral = "'" + literal.Replace("'", "''") + "'";
                        calls.Add($"set_config('{settingLiteral}', {(isDbContext ? sqlLiteral.Replace("{", "{{").Replace("}", "}}") : sqlLiteral)}, true)");
                    }
                    else if (isDbContext)
                    {
                        calls.Add($"set_config('{settingLiteral}', {{{value.Expression}}}, true)");
                    }
                    else
                    {
                        calls.Add($"set_config('{settingLiteral}', @{value.Parameter}, true)");
                        arguments.Add($"{value.Parameter} = {value.Expression}");
                    }
                }

                var text = "SELECT " + string.Join(", ", calls);
                if (isDbContext)
                {
                    var call = $"{connection}.Database.{(async ? "ExecuteSqlAsync" : "ExecuteSql")}($\"{text.Replace("\\", "\\\\").Replace("\"", "\\\"")}\")";
                    return (async ? "await " : string.Empty) + call + ";";
                }

                var args = SyntaxHelpers.Literal(text)
                    + (arguments.Count == 0 ? ", null" : ", new { " + string.Join(", ", arguments) + " }")
                    + (tx is null ? string.Empty : $", {tx}");
                return async ? $"await {connection}.ExecuteAsync({args});" : $"{connection}.Execute({args});";
            }

            if (transactionOpen)
            {
                var statements = block.Statements.Insert(block.Statements.IndexOf(statement), SyntaxHelpers.Statement(SetConfig(transaction), statement));
                return root.ReplaceNode(block, block.WithStatements(statements));
            }

            var plan = TransactionScaffold.Create(semanticModel, statement, connection, isDbContext);
            if (plan is null)
            {
                return null;
            }

            var setFirst = new[] { SetConfig(isDbContext ? null : plan.Transaction) };
            return root.ReplaceNode(block, TransactionScaffold.Apply(block, statement, plan, semanticModel, setFirst, cancellationToken));
        }

        /// <summary>
        /// The value of each setting the diagnostic asks for (<see cref="FixProperties.Settings"/>): the tenant id in
        /// scope, the literal the policy compares the setting with, or a symbol named after the setting. Null when
        /// one of them has no value in scope: the fix never invents one.
        /// </summary>
        private static List<(string Name, SettingValue Value)>? SettingValues(ImmutableDictionary<string, string?> properties, SemanticModel model, int position)
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
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };
            return type?.SpecialType switch
            {
                null => null,
                SpecialType.System_String => symbol.Name,
                SpecialType.System_Int32 or SpecialType.System_Int64 => symbol.Name + ".ToString()",
                _ => type.ToDisplayString() == "System.Guid" ? symbol.Name + ".ToString()" : null,
            };
        }

        private sealed class SettingValue
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

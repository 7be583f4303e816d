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
            if (!TransactionScaffold.TryLocate(diagnostic, target, out var connection, out var isDbContext, out var statement, out var block)
                || !properties.TryGetValue(FixProperties.Setting, out var setting) || setting is null)
            {
                return null;
            }

            var tenant = FindTenantValue(semanticModel, statement.SpanStart);
            if (tenant is null)
            {
                return null;
            }

            var async = SyntaxHelpers.IsInAsyncFunction(statement);
            var settingLiteral = setting.Replace("'", "''");
            var dapper = semanticModel.Compilation.GetTypeByMetadataName("Dapper.SqlMapper") is not null;
            if (!isDbContext && !dapper)
            {
                return null; // the inserted call is written with Dapper or EF Core
            }

            var transactionOpen = properties.TryGetValue(FixProperties.TransactionOpen, out var open) && open == "true";
            properties.TryGetValue(FixProperties.Transaction, out var transaction);

            string SetConfig(string? tx)
            {
                if (isDbContext)
                {
                    var call = $"{connection}.Database.{(async ? "ExecuteSqlAsync" : "ExecuteSql")}($\"SELECT set_config('{settingLiteral}', {{{tenant}}}, true)\")";
                    return (async ? "await " : string.Empty) + call + ";";
                }

                var sql = SyntaxHelpers.Literal($"SELECT set_config('{settingLiteral}', @tenant, true)");
                var args = $"{sql}, new {{ tenant = {tenant} }}" + (tx is null ? string.Empty : $", {tx}");
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

        /// <summary>An expression for the tenant id as text, from a symbol in scope named like a tenant.</summary>
        internal static string? FindTenantValue(SemanticModel model, int position)
        {
            var candidates = new List<(int Rank, string Expression)>();
            foreach (var symbol in model.LookupSymbols(position))
            {
                var type = symbol switch
                {
                    ILocalSymbol local => local.Type,
                    IParameterSymbol parameter => parameter.Type,
                    IFieldSymbol field => field.Type,
                    IPropertySymbol property => property.Type,
                    _ => null,
                };
                if (type is null || symbol.Name.IndexOf("tenant", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    continue;
                }

                var rank = symbol.Name.Equals("tenantId", StringComparison.OrdinalIgnoreCase) ? 0 : symbol.Name.Equals("tenant", StringComparison.OrdinalIgnoreCase) ? 1 : 2;
                switch (type.SpecialType)
                {
                    case SpecialType.System_String:
                        candidates.Add((rank, symbol.Name));
                        break;
                    case SpecialType.System_Int32:
                    case SpecialType.System_Int64:
                        candidates.Add((rank, symbol.Name + ".ToString()"));
                        break;
                    default:
                        if (type.ToDisplayString() == "System.Guid")
                        {
                            candidates.Add((rank, symbol.Name + ".ToString()"));
                        }

                        break;
                }
            }

            return candidates.OrderBy(c => c.Rank).ThenBy(c => c.Expression, StringComparer.Ordinal).Select(c => c.Expression).FirstOrDefault();
        }
    }
}

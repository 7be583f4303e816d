using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1009: the spliced value becomes a bound parameter of a transaction-local set_config. Dapper:
    /// <c>"SELECT set_config('app.tenant_id', @tenant, true)"</c> with <c>param: new { tenant }</c>. EF Core
    /// <c>ExecuteSqlRaw($"...")</c>: <c>ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)")</c>, which binds it.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BindTenantSettingCodeFix)), Shared]
    public sealed class BindTenantSettingCodeFix : SyntaxCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1009_SplicedTenantSetting.Id);

        protected override string Title => "Bind the tenant value with set_config";

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            root.FindNode(span, getInnermostNodeForTie: true) as ExpressionSyntax;

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (target is not ExpressionSyntax value
                || !diagnostic.Properties.TryGetValue(FixProperties.Setting, out var setting) || setting is null
                || !diagnostic.Properties.TryGetValue(FixProperties.SingleStatement, out var single) || single != "true")
            {
                return null;
            }

            var argument = value.FirstAncestorOrSelf<ArgumentSyntax>(a => a.Parent?.Parent is InvocationExpressionSyntax);
            if (argument?.Parent?.Parent is not InvocationExpressionSyntax invocation
                || semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return null;
            }

            var sqlArgument = operation.Arguments.FirstOrDefault(a => a.Syntax == argument);
            if (sqlArgument?.Parameter?.Name != "sql")
            {
                return null;
            }

            var settingLiteral = setting.Replace("'", "''");
            var valueText = value.WithoutTrivia().ToString();
            if (operation.TargetMethod.ContainingType?.Name == "SqlMapper")
            {
                var parameterName = value is IdentifierNameSyntax identifier ? identifier.Identifier.ValueText
                    : value is MemberAccessExpressionSyntax member ? char.ToLowerInvariant(member.Name.Identifier.ValueText[0]) + member.Name.Identifier.ValueText.Substring(1)
                    : "tenant";
                var anonymous = value is IdentifierNameSyntax ? $"new {{ {valueText} }}" : $"new {{ {parameterName} = {valueText} }}";
                var sql = SyntaxFactory.ParseExpression(SyntaxHelpers.Literal($"SELECT set_config('{settingLiteral}', @{parameterName}, true)"));
                var param = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "param");
                var original = invocation.ArgumentList.Arguments;
                var sqlIndex = original.IndexOf(argument);
                var arguments = original.Replace(original[sqlIndex], argument.WithExpression(sql.WithTriviaFrom(argument.Expression)));
                if (param is null || param.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    arguments = arguments.Insert(sqlIndex + 1, SyntaxHelpers.NamedArgument("param", SyntaxFactory.ParseExpression(anonymous)));
                }
                else if (param.Syntax is ArgumentSyntax paramArgument && original.IndexOf(paramArgument) is var paramIndex and >= 0
                    && param.Value.ConstantValue is { HasValue: true, Value: null })
                {
                    arguments = arguments.Replace(arguments[paramIndex], paramArgument.WithExpression(SyntaxFactory.ParseExpression(anonymous).WithTriviaFrom(paramArgument.Expression)));
                }
                else
                {
                    return null;
                }

                return root.ReplaceNode(invocation, invocation.WithArgumentList(invocation.ArgumentList.WithArguments(NormalizeSeparators(arguments))));
            }

            var name = operation.TargetMethod.Name;
            if (operation.TargetMethod.ContainingType?.Name == "RelationalDatabaseFacadeExtensions"
                && name is "ExecuteSqlRaw" or "ExecuteSqlRawAsync"
                && invocation.Expression is MemberAccessExpressionSyntax access
                && operation.Arguments.All(a => a.Parameter?.Name is "databaseFacade" or "sql" or "cancellationToken" || a.ArgumentKind != ArgumentKind.Explicit && IsEmptyParams(a)))
            {
                var interpolated = SyntaxFactory.ParseExpression($"$\"SELECT set_config('{settingLiteral.Replace("{", "{{").Replace("}", "}}")}', {{{valueText}}}, true)\"");
                var renamed = access.WithName(SyntaxFactory.IdentifierName(name == "ExecuteSqlRaw" ? "ExecuteSql" : "ExecuteSqlAsync"));
                var newInvocation = invocation
                    .WithExpression(renamed)
                    .WithArgumentList(invocation.ArgumentList.ReplaceNode(argument.Expression, interpolated.WithTriviaFrom(argument.Expression)));
                return root.ReplaceNode(invocation, newInvocation);
            }

            return null;
        }

        private static bool IsEmptyParams(IArgumentOperation argument) =>
            argument.Value is IArrayCreationOperation { Initializer.ElementValues.Length: 0 };

        private static SeparatedSyntaxList<ArgumentSyntax> NormalizeSeparators(SeparatedSyntaxList<ArgumentSyntax> arguments) =>
            SyntaxFactory.SeparatedList(
                arguments.Select((a, i) => i == 0 ? a : a.WithLeadingTrivia(SyntaxFactory.Space)),
                Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken), System.Math.Max(0, arguments.Count - 1)));
    }
}

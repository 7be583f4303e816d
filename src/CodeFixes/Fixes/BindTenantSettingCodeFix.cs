using System;
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
    /// TG1009 / TG1012: the spliced value becomes a bound parameter of a transaction-local set_config. Dapper:
    /// <c>"SELECT set_config('app.tenant_id', @tenant, true)"</c> with <c>param: new { tenant }</c>. EF Core
    /// <c>ExecuteSqlRaw($"...")</c>: <c>ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)")</c>, which binds it.
    /// <c>new NpgsqlCommand($"...", conn, tx)</c>: the same text with <c>Parameters = { new NpgsqlParameter("tenant", tenant) }</c>.
    /// A value that is not text is bound as <c>value.ToString()</c>: set_config takes text, and a uuid or integer
    /// parameter would not match it (42883).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BindTenantSettingCodeFix)), Shared]
    public sealed class BindTenantSettingCodeFix : SyntaxCodeFix
    {
        public const string EquivalenceKey = nameof(BindTenantSettingCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1009_SplicedTenantSetting.Id, Descriptors.TG1012_SplicedTypedTenantValue.Id);

        protected override string Title => "Bind the tenant value with set_config";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(EquivalenceKey);

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            root.FindNode(span, getInnermostNodeForTie: true) as ExpressionSyntax;

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            if (target is not ExpressionSyntax value
                || !diagnostic.Properties.TryGetValue(FixProperties.Setting, out var setting) || setting is null
                || !diagnostic.Properties.TryGetValue(FixProperties.SingleStatement, out var single) || single != "true")
            {
                return null;
            }

            var settingLiteral = setting.Replace("'", "''");
            var valueText = value.WithoutTrivia().ToString();
            if (semanticModel.GetTypeInfo(value, cancellationToken).Type?.SpecialType != SpecialType.System_String)
            {
                valueText += ".ToString()";
            }

            var argument = value.FirstAncestorOrSelf<ArgumentSyntax>(a => a.Parent?.Parent is InvocationExpressionSyntax or ObjectCreationExpressionSyntax);
            if (argument?.Parent?.Parent is ObjectCreationExpressionSyntax creation)
            {
                return PrepareCommand(root, creation, argument, value, settingLiteral, valueText, semanticModel, cancellationToken);
            }

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

            if (operation.TargetMethod.ContainingType?.Name == "SqlMapper")
            {
                // The anonymous object goes in as a new param argument, or in place of a param: null.
                var param = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "param");
                var paramIndex = -1;
                if (param is not null && param.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    if (param.Syntax is not ArgumentSyntax paramArgument || invocation.ArgumentList.Arguments.IndexOf(paramArgument) is not (var index and >= 0)
                        || param.Value.ConstantValue is not { HasValue: true, Value: null })
                    {
                        return null;
                    }

                    paramIndex = index;
                }

                return _ => FixDapper(root, invocation, argument, value, settingLiteral, valueText, paramIndex);
            }

            var name = operation.TargetMethod.Name;
            if (operation.TargetMethod.ContainingType?.Name == "RelationalDatabaseFacadeExtensions"
                && name is "ExecuteSqlRaw" or "ExecuteSqlRawAsync"
                && invocation.Expression is MemberAccessExpressionSyntax access
                && operation.Arguments.All(a => a.Parameter?.Name is "databaseFacade" or "sql" or "cancellationToken" || a.ArgumentKind != ArgumentKind.Explicit && IsEmptyParams(a)))
            {
                return _ =>
                {
                    var interpolated = SyntaxFactory.ParseExpression($"$\"SELECT set_config('{settingLiteral.Replace("{", "{{").Replace("}", "}}")}', {{{valueText}}}, true)\"");
                    var renamed = access.WithName(SyntaxFactory.IdentifierName(name == "ExecuteSqlRaw" ? "ExecuteSql" : "ExecuteSqlAsync"));
                    var newInvocation = invocation
                        .WithExpression(renamed)
                        .WithArgumentList(invocation.ArgumentList.ReplaceNode(argument.Expression, interpolated.WithTriviaFrom(argument.Expression)));
                    return root.ReplaceNode(invocation, newInvocation);
                };
            }

            return null;
        }

        /// <summary>
        /// A Dapper call: bound text and the value in an anonymous object, a new <c>param</c> argument after the SQL
        /// (<paramref name="paramIndex"/> -1) or in place of the <c>param: null</c> at <paramref name="paramIndex"/>.
        /// </summary>
        private static SyntaxNode FixDapper(SyntaxNode root, InvocationExpressionSyntax invocation, ArgumentSyntax argument, ExpressionSyntax value, string settingLiteral, string valueText, int paramIndex)
        {
            var parameterName = value is IdentifierNameSyntax identifier ? identifier.Identifier.ValueText
                : value is MemberAccessExpressionSyntax member ? char.ToLowerInvariant(member.Name.Identifier.ValueText[0]) + member.Name.Identifier.ValueText.Substring(1)
                : "tenant";
            var anonymous = value is IdentifierNameSyntax && !valueText.EndsWith(".ToString()", System.StringComparison.Ordinal) ? $"new {{ {valueText} }}" : $"new {{ {parameterName} = {valueText} }}";
            var sql = SyntaxFactory.ParseExpression(SyntaxHelpers.Literal($"SELECT set_config('{settingLiteral}', @{parameterName}, true)"));
            var original = invocation.ArgumentList.Arguments;
            var sqlIndex = original.IndexOf(argument);
            var arguments = original.Replace(original[sqlIndex], argument.WithExpression(sql.WithTriviaFrom(argument.Expression)));
            if (paramIndex < 0)
            {
                arguments = arguments.Insert(sqlIndex + 1, SyntaxHelpers.NamedArgument("param", SyntaxFactory.ParseExpression(anonymous)));
            }
            else
            {
                var paramArgument = original[paramIndex];
                arguments = arguments.Replace(arguments[paramIndex], paramArgument.WithExpression(SyntaxFactory.ParseExpression(anonymous).WithTriviaFrom(paramArgument.Expression)));
            }

            return root.ReplaceNode(invocation, invocation.WithArgumentList(invocation.ArgumentList.WithArguments(NormalizeSeparators(arguments))));
        }

        /// <summary><c>new NpgsqlCommand($"SET LOCAL app.tenant_id = '{v}'", conn, tx)</c>: bound text and a parameter in the initializer.</summary>
        private static Func<CancellationToken, SyntaxNode>? PrepareCommand(SyntaxNode root, ObjectCreationExpressionSyntax creation, ArgumentSyntax argument, ExpressionSyntax value, string settingLiteral, string valueText, SemanticModel model, CancellationToken cancellationToken)
        {
            var type = model.GetTypeInfo(creation, cancellationToken).Type;
            if (type is not { Name: "NpgsqlCommand", ContainingNamespace.Name: "Npgsql" }
                || creation.ArgumentList?.Arguments.IndexOf(argument) != 0
                || creation.Initializer is { Expressions.Count: > 0 })
            {
                return null;
            }

            return _ =>
            {
                var parameterName = value is IdentifierNameSyntax identifier ? identifier.Identifier.ValueText : "tenant";
                var parameterType = model.LookupSymbols(creation.SpanStart, name: "NpgsqlParameter").Any() ? "NpgsqlParameter" : "Npgsql.NpgsqlParameter";
                var sql = SyntaxFactory.ParseExpression(SyntaxHelpers.Literal($"SELECT set_config('{settingLiteral}', @{parameterName}, true)"));
                var initializer = (InitializerExpressionSyntax)((ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression(
                    $"new C() {{ Parameters = {{ new {parameterType}(\"{parameterName}\", {valueText}) }} }}")).Initializer!;
                var fixedCreation = creation
                    .WithArgumentList(creation.ArgumentList!.ReplaceNode(argument.Expression, sql.WithTriviaFrom(argument.Expression)))
                    .WithInitializer(initializer.WithLeadingTrivia(SyntaxFactory.Space));
                return root.ReplaceNode(creation, fixedCreation);
            };
        }

        private static bool IsEmptyParams(IArgumentOperation argument) =>
            argument.Value is IArrayCreationOperation { Initializer.ElementValues.Length: 0 };

        private static SeparatedSyntaxList<ArgumentSyntax> NormalizeSeparators(SeparatedSyntaxList<ArgumentSyntax> arguments) =>
            SyntaxFactory.SeparatedList(
                arguments.Select((a, i) => i == 0 ? a : a.WithLeadingTrivia(SyntaxFactory.Space)),
                Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken), System.Math.Max(0, arguments.Count - 1)));
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sites;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1002: a <c>:name::type</c> placeholder cast (and, when configured, <c>@name::type</c>).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PlaceholderCastAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1002_PlaceholderCast);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var reported = new HashSet<Location>();
            foreach (var site in analysis.Model.Sites)
            {
                if (site.Sql is null)
                {
                    continue;
                }

                Check(context, analysis, site.Sql, site.Location, reported, skipReturnedText: true);
            }

            // A command built here and returned unexecuted (a factory method): its callers run it, wherever they are.
            if (!ReturnsCommand(context, analysis))
            {
                return;
            }

            foreach (var operation in OperationHelpers.DescendantsInBody(analysis.Model.Root))
            {
                if (operation is IReturnOperation { ReturnedValue: { } value } returned
                    && AdoNetSites.CommandTextAt(analysis.Model, value, returned.Syntax.SpanStart) is { } text)
                {
                    Check(context, analysis, text, value.Syntax.GetLocation(), reported, skipReturnedText: false);
                }
            }
        }

        /// <summary>A method that returns a command (a factory) is read even where it executes nothing.</summary>
        private protected override bool AnalyzesWithoutEvents(OperationBlockAnalysisContext context, MethodAnalysis analysis) => ReturnsCommand(context, analysis);

        private static bool ReturnsCommand(OperationBlockAnalysisContext context, MethodAnalysis analysis) =>
            context.OwningSymbol is IMethodSymbol method && analysis.Model.Symbols.IsCommand(OperationHelpers.UnwrapTask(method.ReturnType));

        private static void Check(OperationBlockAnalysisContext context, MethodAnalysis analysis, SqlSource sql, Location fallback, HashSet<Location> reported, bool skipReturnedText)
        {
            // A placeholder cast is ':name' (or '@name') then '::': text that cannot hold one is not lexed.
            if (!SqlLexer.MayCastNamedParameter(sql.Text, analysis.Options.FlagAtPlaceholderCasts))
            {
                return;
            }

            var script = sql.Script;
            var tokens = script.Tokens;
            for (var i = 0; i < tokens.Length; i++)
            {
                var placeholder = tokens[i];
                if (placeholder.Kind != SqlTokenKind.NamedParameter)
                {
                    continue;
                }

                var prefix = script.Text[placeholder.Start];
                if (prefix != ':' && !(prefix == '@' && analysis.Options.FlagAtPlaceholderCasts))
                {
                    continue;
                }

                var cast = NextSignificant(tokens, i + 1);
                if (cast < 0 || tokens[cast].Kind != SqlTokenKind.Cast)
                {
                    continue;
                }

                var type = NextSignificant(tokens, cast + 1);
                if (type < 0 || tokens[type].Kind is not (SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier))
                {
                    continue;
                }

                var end = TypeEnd(tokens, type);
                var location = sql.GetLocation(placeholder.Start, end) ?? fallback;
                if (skipReturnedText && IsReturnedByFactory(location, analysis))
                {
                    continue;
                }

                if (reported.Add(location))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TG1002_PlaceholderCast,
                        location,
                        placeholder.GetText(script.Text),
                        script.Text.Substring(tokens[type].Start, end - tokens[type].Start)));
                }
            }
        }

        /// <summary>
        /// Text that one of the project's methods gave the command it returned, shown at the call: reported in that method,
        /// where the text is written, not again at each call.
        /// </summary>
        private static bool IsReturnedByFactory(Location location, MethodAnalysis analysis)
        {
            foreach (var operation in analysis.Model.Root.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation call && call.Syntax.Span == location.SourceSpan && call.Syntax.SyntaxTree == location.SourceTree
                    && analysis.Summaries.CommandTextReturnedBy(call.TargetMethod) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        private static int NextSignificant(ImmutableArray<SqlToken> tokens, int index)
        {
            for (var i = index; i < tokens.Length; i++)
            {
                if (!tokens[i].IsTrivia)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The end of a type name: <c>jsonb</c>, <c>pg_catalog.jsonb</c>, <c>uuid[]</c>, <c>varchar(20)</c>.</summary>
        private static int TypeEnd(ImmutableArray<SqlToken> tokens, int type)
        {
            var i = type;
            while (i + 2 < tokens.Length && tokens[i + 1].Kind == SqlTokenKind.Dot && tokens[i + 2].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
            {
                i += 2;
            }

            var end = tokens[i].End;
            if (i + 1 < tokens.Length && tokens[i + 1].Kind == SqlTokenKind.OpenParen)
            {
                var close = i + 2;
                while (close < tokens.Length && tokens[close].Kind is SqlTokenKind.Number or SqlTokenKind.Comma or SqlTokenKind.Whitespace)
                {
                    close++;
                }

                if (close < tokens.Length && tokens[close].Kind == SqlTokenKind.CloseParen)
                {
                    end = tokens[close].End;
                    i = close;
                }
            }

            while (i + 2 < tokens.Length && tokens[i + 1].Kind == SqlTokenKind.OpenBracket && tokens[i + 2].Kind == SqlTokenKind.CloseBracket)
            {
                end = tokens[i + 2].End;
                i += 2;
            }

            return end;
        }
    }
}

using System.Collections.Generic;
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
    /// TG1009: the tenant setting's value spliced into SET / set_config text by concatenation, interpolation or
    /// string.Format. TG1012 (information): the same with a value that cannot carry SQL (Guid, number, enum, bool).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SplicedTenantSettingAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1009_SplicedTenantSetting, Descriptors.TG1012_SplicedTypedTenantValue);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var reported = new HashSet<Location>();
            foreach (var (site, statement, setting) in SiteSql.TenantSettingAssignments(analysis.Model, analysis.Options))
            {
                var hole = FirstTextHole(site.Sql!.Text, setting);
                if (hole < 0)
                {
                    continue;
                }

                var spliced = site.Sql.HoleAt(hole);
                // On the spliced expression; when a helper of the project wrote the text, at the call to it (where the site's
                // text is mapped), so each caller reports in its own method and no place is reported twice.
                var location = spliced is not null && Model.OperationHelpers.IsWithin(spliced.Syntax, analysis.Block.Syntax)
                    ? spliced!.Syntax.GetLocation()
                    : SiteSql.LocationOf(site, setting.Start, setting.End);
                if (reported.Add(location))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty
                        .Add(FixProperties.Setting, setting.Name)
                        .Add(FixProperties.SiteKind, site.Kind.ToString())
                        .Add(FixProperties.SingleStatement, site.Sql.Script.Statements.Length == 1 && statement.Settings.Length == 1 ? "true" : "false");
                    context.ReportDiagnostic(TypedValue(spliced) is { } type
                        ? Diagnostic.Create(Descriptors.TG1012_SplicedTypedTenantValue, location, properties, setting.Name, type)
                        : Diagnostic.Create(Descriptors.TG1009_SplicedTenantSetting, location, properties, setting.Name));
                }
            }
        }

        /// <summary>
        /// The kind of value that cannot carry SQL ("Guid", "number", "enum", "bool"), for a spliced expression of that
        /// type or its <c>ToString()</c>; null for text and anything else.
        /// </summary>
        private static string? TypedValue(IOperation? spliced)
        {
            while (spliced is IConversionOperation { IsImplicit: true } conversion)
            {
                spliced = conversion.Operand;
            }

            if (spliced is IInvocationOperation { TargetMethod.Name: "ToString", Instance: { } instance })
            {
                spliced = instance;
            }

            var type = spliced?.Type;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            switch (type?.SpecialType)
            {
                case SpecialType.System_Boolean:
                    return "bool";
                case SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
                    or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64:
                    return "number";
            }

            if (type?.TypeKind == TypeKind.Enum)
            {
                return "enum";
            }

            return type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } ? "Guid" : null;
        }

        private static int FirstTextHole(string text, SettingAssignment setting)
        {
            foreach (var token in setting.ValueTokens)
            {
                var index = text.IndexOf(SqlLexer.TextHoleChar, token.Start, token.Length);
                if (index >= 0)
                {
                    return index;
                }
            }

            return -1;
        }
    }
}

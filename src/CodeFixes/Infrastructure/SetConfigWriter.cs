using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TenantGuard.Analyzers.Model;
using TenantGuard.CodeFixes.Fixes;

namespace TenantGuard.CodeFixes.Infrastructure
{
    /// <summary>
    /// Writes <c>SELECT set_config(name, value, true), ...</c> with the data-access API the file already uses: EF Core
    /// on a DbContext; Dapper where its extension methods are in scope; an <c>NpgsqlCommand</c> on an Npgsql
    /// connection in a file without Dapper; Dapper with an added <c>using Dapper;</c> as the last resort.
    /// </summary>
    internal sealed class SetConfigWriter
    {
        private enum Api
        {
            EfCore,
            Dapper,
            Npgsql,
        }

        private readonly Api _api;
        private readonly bool _addDapperUsing;
        private readonly string _commandType;
        private readonly string _parameterType;

        private SetConfigWriter(Api api, bool addDapperUsing, string commandType, string parameterType)
        {
            _api = api;
            _addDapperUsing = addDapperUsing;
            _commandType = commandType;
            _parameterType = parameterType;
        }

        /// <summary>The writer for a connection (or DbContext) variable at a position, or null when no API can run the setting there.</summary>
        public static SetConfigWriter? For(SemanticModel model, int position, string connection, bool isDbContext)
        {
            if (isDbContext)
            {
                return new SetConfigWriter(Api.EfCore, false, string.Empty, string.Empty);
            }

            // conn, _connection, or a member of a local (session.Connection): bound where the fix writes it.
            var type = model.GetSpeculativeTypeInfo(position, SyntaxFactory.ParseExpression(connection), SpeculativeBindingOption.BindAsExpression).Type;
            if (type is null)
            {
                return null;
            }

            if (model.LookupSymbols(position, container: type, name: "Execute", includeReducedExtensionMethods: true).Any(s => s.ContainingType?.Name == "SqlMapper"))
            {
                return new SetConfigWriter(Api.Dapper, false, string.Empty, string.Empty);
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.Name == "NpgsqlConnection" && current.ContainingNamespace?.ToDisplayString() == "Npgsql")
                {
                    var command = model.LookupSymbols(position, name: "NpgsqlCommand").Any() ? "NpgsqlCommand" : "Npgsql.NpgsqlCommand";
                    var parameter = model.LookupSymbols(position, name: "NpgsqlParameter").Any() ? "NpgsqlParameter" : "Npgsql.NpgsqlParameter";
                    return new SetConfigWriter(Api.Npgsql, false, command, parameter);
                }
            }

            return model.Compilation.GetBestTypeByMetadataName("Dapper.SqlMapper") is not null
                ? new SetConfigWriter(Api.Dapper, true, string.Empty, string.Empty)
                : null;
        }

        /// <summary>The statements that apply the settings on the connection (and transaction), as text.</summary>
        public List<string> Write(List<(string Name, ApplyTenantSettingCodeFix.SettingValue Value)> settings, string connection, string? transaction, bool async, string commandName)
        {
            var calls = new List<string>();
            var arguments = new List<(string Parameter, string Expression)>();
            foreach (var (name, value) in settings)
            {
                var setting = name.Replace("'", "''");
                if (value.Literal is { } literal)
                {
                    var sqlLiteral = "'" + literal.Replace("'", "''") + "'";
                    calls.Add($"set_config('{setting}', {(_api == Api.EfCore ? sqlLiteral.Replace("{", "{{").Replace("}", "}}") : sqlLiteral)}, true)");
                }
                else if (_api == Api.EfCore)
                {
                    calls.Add($"set_config('{setting}', {{{value.Expression}}}, true)");
                }
                else
                {
                    calls.Add($"set_config('{setting}', @{value.Parameter}, true)");
                    arguments.Add((value.Parameter!, value.Expression!));
                }
            }

            var text = "SELECT " + string.Join(", ", calls);
            var awaitPrefix = async ? "await " : string.Empty;
            switch (_api)
            {
                case Api.EfCore:
                    return new List<string> { $"{awaitPrefix}{connection}.Database.{(async ? "ExecuteSqlAsync" : "ExecuteSql")}($\"{text.Replace("\\", "\\\\").Replace("\"", "\\\"")}\");" };
                case Api.Dapper:
                    var args = SyntaxHelpers.Literal(text)
                        + (arguments.Count == 0 ? ", null" : ", new { " + string.Join(", ", arguments.Select(a => $"{a.Parameter} = {a.Expression}")) + " }")
                        + (transaction is null ? string.Empty : $", {transaction}");
                    return new List<string> { $"{awaitPrefix}{connection}.{(async ? "ExecuteAsync" : "Execute")}({args});" };
                default:
                    var parameters = arguments.Count == 0
                        ? string.Empty
                        : " { Parameters = { " + string.Join(", ", arguments.Select(a => $"new {_parameterType}(\"{a.Parameter}\", {a.Expression})")) + " } }";
                    return new List<string>
                    {
                        $"{(async ? "await using" : "using")} var {commandName} = new {_commandType}({SyntaxHelpers.Literal(text)}, {connection}{(transaction is null ? string.Empty : ", " + transaction)}){parameters};",
                        $"{awaitPrefix}{commandName}.{(async ? "ExecuteNonQueryAsync" : "ExecuteNonQuery")}();",
                    };
            }
        }

        /// <summary>Adds <c>using Dapper;</c> to the file when the written call needs it.</summary>
        public SyntaxNode WithUsing(SyntaxNode root) =>
            _addDapperUsing ? SyntaxHelpers.WithUsing(root, "Dapper") : root;
    }
}

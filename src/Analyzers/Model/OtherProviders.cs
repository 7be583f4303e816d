using System;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// ADO.NET providers for databases other than PostgreSQL. Executions on a connection, command or transaction that
    /// is statically typed (or created) as one of their classes are not TenantGuard's business: their SQL is T-SQL,
    /// MySQL or SQLite, and row-level security there works differently. <c>DbConnection</c> and <c>IDbConnection</c>
    /// stay analyzed, and so does any type declared in the project itself (a wrapper may well wrap Npgsql).
    /// </summary>
    internal static class OtherProviders
    {
        /// <summary>The namespaces of the providers, matched as a prefix (<c>Microsoft.Data.SqlClient</c>, ...).</summary>
        internal static readonly string[] Namespaces =
        {
            "System.Data.SqlClient",
            "Microsoft.Data.SqlClient",
            "System.Data.SqlServerCe",
            "MySql.Data",
            "MySqlConnector",
            "Microsoft.Data.Sqlite",
            "System.Data.SQLite",
            "FirebirdSql.Data",
            "Oracle.ManagedDataAccess",
            "Oracle.DataAccess",
            "System.Data.OracleClient",
            "IBM.Data",
            "System.Data.OleDb",
            "System.Data.Odbc",
            "Snowflake.Data",
            "ClickHouse.Client",
            "Octonica.ClickHouseClient",
            "DuckDB.NET",
            "Teradata.Client",
            "Sap.Data.Hana",
            "AdoNetCore.AseClient",
        };

        public static bool IsOtherProvider(ITypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Class || type.DeclaringSyntaxReferences.Length > 0)
            {
                return false;
            }

            var name = type.ContainingNamespace?.ToDisplayString();
            if (name is null)
            {
                return false;
            }

            foreach (var prefix in Namespaces)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

namespace TenantGuard.Analyzers.Model
{
    internal enum ResourceKind
    {
        /// <summary>An ADO.NET connection (NpgsqlConnection, DbConnection, IDbConnection).</summary>
        Connection,

        /// <summary>An EF Core DbContext: its Database facade owns one connection.</summary>
        DbContext,

        /// <summary>The pooled connection an NpgsqlDataSource command runs on: new for every execution.</summary>
        DataSourceConnection,
    }
}

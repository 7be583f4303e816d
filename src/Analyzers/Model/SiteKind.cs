namespace TenantGuard.Analyzers.Model
{
    internal enum SiteKind
    {
        /// <summary>DbCommand / NpgsqlCommand Execute*.</summary>
        Command,

        /// <summary>DbBatch / NpgsqlBatch Execute*: all commands in one implicit transaction.</summary>
        Batch,

        /// <summary>A command from NpgsqlDataSource.CreateCommand: runs on its own pooled connection.</summary>
        DataSourceCommand,

        /// <summary>A Dapper SqlMapper extension method.</summary>
        Dapper,

        /// <summary>EF Core Database.ExecuteSql*/SqlQuery*, DbSet.FromSql*.</summary>
        EfCore,

        /// <summary>
        /// A call of one of the project's methods that runs SQL on the connection it is given before applying any
        /// setting of its own (<see cref="ExecutionSite.Via"/> is the execution inside it). Only TG1001 looks at these.
        /// </summary>
        Helper,
    }
}

using System;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>What a type is to TenantGuard (see <see cref="DataAccessSymbols.RolesOf"/>).</summary>
    [Flags]
    internal enum TypeRole
    {
        None = 0,
        Connection = 1 << 0,
        Command = 1 << 1,
        Transaction = 1 << 2,
        Batch = 1 << 3,
        BatchCommand = 1 << 4,
        DataSource = 1 << 5,
        ProviderFactory = 1 << 6,
        DbContext = 1 << 7,
        DatabaseFacade = 1 << 8,
        HttpInvoker = 1 << 9,

        /// <summary>A connection, command, transaction or batch class of a provider for another database.</summary>
        OtherProvider = 1 << 10,

        /// <summary>Every role that makes a method worth modelling.</summary>
        DataAccess = Connection | Command | Transaction | Batch | BatchCommand | DataSource | ProviderFactory | DbContext | DatabaseFacade,
    }
}

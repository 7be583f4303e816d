using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// The data-access types TenantGuard knows, each looked up once per compilation, on first use. <see cref="TryCreate"/> returns
    /// null when the compilation references none of Npgsql, Dapper or EF Core relational (nor opted into plain
    /// ADO.NET), and the analyzers then register nothing.
    /// </summary>
    internal sealed class DataAccessSymbols
    {
        private DataAccessSymbols(Compilation compilation)
        {
            Compilation = compilation;
        }

        public Compilation Compilation { get; }

        /// <summary>
        /// A type looked up on first use (many compilations need only some of these), robust to two references defining the
        /// same name (<see cref="CompilationExtensions.GetBestTypeByMetadataName"/>). Rules ask concurrently: a lookup made
        /// twice finds the same symbol, and the first one published is kept.
        /// </summary>
        private INamedTypeSymbol? Lookup(ref Symbol? field, string metadataName) =>
            (System.Threading.Volatile.Read(ref field) ?? Resolve(ref field, metadataName)).Type;

        /// <summary>
        /// The first lookup of a type, published once. Apart from <see cref="Lookup"/>, which runs for nearly every
        /// operation of every block: a lambda there would allocate its closure on every call, found or not.
        /// </summary>
        private Symbol Resolve(ref Symbol? field, string metadataName)
        {
            var symbol = new Symbol(Compilation.GetBestTypeByMetadataName(metadataName));
            return System.Threading.Interlocked.CompareExchange(ref field, symbol, null) ?? symbol;
        }

        /// <summary>The result of a lookup, null included (a type the compilation does not have).</summary>
        private sealed class Symbol
        {
            public Symbol(INamedTypeSymbol? type) => Type = type;

            public INamedTypeSymbol? Type { get; }
        }

        public INamedTypeSymbol? DbConnection => Lookup(ref _dbConnection, "System.Data.Common.DbConnection");

        private Symbol? _dbConnection;

        public INamedTypeSymbol? IDbConnection => Lookup(ref _iDbConnection, "System.Data.IDbConnection");

        private Symbol? _iDbConnection;

        public INamedTypeSymbol? DbCommand => Lookup(ref _dbCommand, "System.Data.Common.DbCommand");

        private Symbol? _dbCommand;

        public INamedTypeSymbol? IDbCommand => Lookup(ref _iDbCommand, "System.Data.IDbCommand");

        private Symbol? _iDbCommand;

        public INamedTypeSymbol? DbTransaction => Lookup(ref _dbTransaction, "System.Data.Common.DbTransaction");

        private Symbol? _dbTransaction;

        public INamedTypeSymbol? IDbTransaction => Lookup(ref _iDbTransaction, "System.Data.IDbTransaction");

        private Symbol? _iDbTransaction;

        public INamedTypeSymbol? DbBatch => Lookup(ref _dbBatch, "System.Data.Common.DbBatch");

        private Symbol? _dbBatch;

        public INamedTypeSymbol? DbBatchCommand => Lookup(ref _dbBatchCommand, "System.Data.Common.DbBatchCommand");

        private Symbol? _dbBatchCommand;

        public INamedTypeSymbol? DbDataSource => Lookup(ref _dbDataSource, "System.Data.Common.DbDataSource");

        private Symbol? _dbDataSource;

        public INamedTypeSymbol? DbProviderFactory => Lookup(ref _dbProviderFactory, "System.Data.Common.DbProviderFactory");

        private Symbol? _dbProviderFactory;

        public INamedTypeSymbol? DbException => Lookup(ref _dbException, "System.Data.Common.DbException");

        private Symbol? _dbException;

        public INamedTypeSymbol? Exception => Lookup(ref _exception, "System.Exception");

        private Symbol? _exception;

        public INamedTypeSymbol? DbSet => Lookup(ref _dbSet, "Microsoft.EntityFrameworkCore.DbSet`1");

        private Symbol? _dbSet;

        /// <summary>The tables an entity type maps to, read once per entity (see <c>Sites/EfCoreQuerySites</c>).</summary>
        internal System.Collections.Concurrent.ConcurrentDictionary<ITypeSymbol, string> EntityTables { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>EF Core's interceptors: where applications set the tenant for every connection, command or transaction.</summary>
        public INamedTypeSymbol? DbConnectionInterceptor => Lookup(ref _dbConnectionInterceptor, "Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor");

        private Symbol? _dbConnectionInterceptor;

        public INamedTypeSymbol? IDbConnectionInterceptor => Lookup(ref _iDbConnectionInterceptor, "Microsoft.EntityFrameworkCore.Diagnostics.IDbConnectionInterceptor");

        private Symbol? _iDbConnectionInterceptor;

        public INamedTypeSymbol? IDbCommandInterceptor => Lookup(ref _iDbCommandInterceptor, "Microsoft.EntityFrameworkCore.Diagnostics.IDbCommandInterceptor");

        private Symbol? _iDbCommandInterceptor;

        public INamedTypeSymbol? IDbTransactionInterceptor => Lookup(ref _iDbTransactionInterceptor, "Microsoft.EntityFrameworkCore.Diagnostics.IDbTransactionInterceptor");

        private Symbol? _iDbTransactionInterceptor;

        /// <summary>Whether a type is an EF Core connection, command or transaction interceptor.</summary>
        public bool IsInterceptor(ITypeSymbol? type) => DerivesOrImplements(type, IDbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor);

        public INamedTypeSymbol? NpgsqlConnection => Lookup(ref _npgsqlConnection, "Npgsql.NpgsqlConnection");

        private Symbol? _npgsqlConnection;

        public INamedTypeSymbol? NpgsqlDataSource => Lookup(ref _npgsqlDataSource, "Npgsql.NpgsqlDataSource");

        private Symbol? _npgsqlDataSource;

        public INamedTypeSymbol? NpgsqlException => Lookup(ref _npgsqlException, "Npgsql.NpgsqlException");

        private Symbol? _npgsqlException;

        public INamedTypeSymbol? PostgresException => Lookup(ref _postgresException, "Npgsql.PostgresException");

        private Symbol? _postgresException;

        public INamedTypeSymbol? SqlMapper => Lookup(ref _sqlMapper, "Dapper.SqlMapper");

        private Symbol? _sqlMapper;

        public INamedTypeSymbol? CommandDefinition => Lookup(ref _commandDefinition, "Dapper.CommandDefinition");

        private Symbol? _commandDefinition;

        public INamedTypeSymbol? DbContext => Lookup(ref _dbContext, "Microsoft.EntityFrameworkCore.DbContext");

        private Symbol? _dbContext;

        public INamedTypeSymbol? DatabaseFacade => Lookup(ref _databaseFacade, "Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade");

        private Symbol? _databaseFacade;

        public INamedTypeSymbol? RelationalDatabaseFacadeExtensions => Lookup(ref _relationalDatabaseFacadeExtensions, "Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions");

        private Symbol? _relationalDatabaseFacadeExtensions;

        public INamedTypeSymbol? RelationalQueryableExtensions => Lookup(ref _relationalQueryableExtensions, "Microsoft.EntityFrameworkCore.RelationalQueryableExtensions");

        private Symbol? _relationalQueryableExtensions;

        public INamedTypeSymbol? DbContextTransaction => Lookup(ref _dbContextTransaction, "Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction");

        private Symbol? _dbContextTransaction;

        public INamedTypeSymbol? HttpMessageInvoker => Lookup(ref _httpMessageInvoker, "System.Net.Http.HttpMessageInvoker");

        private Symbol? _httpMessageInvoker;

        public INamedTypeSymbol? HttpClient => Lookup(ref _httpClient, "System.Net.Http.HttpClient");

        private Symbol? _httpClient;

        public INamedTypeSymbol? FormattableString => Lookup(ref _formattableString, "System.FormattableString");

        private Symbol? _formattableString;

        /// <summary>Looks the types up; null when no data-access library is referenced.</summary>
        public static DataAccessSymbols? TryCreate(Compilation compilation, bool analyzePlainAdoNet)
        {
            // The assembly names first: a project that references none of the libraries (most projects of a solution)
            // pays for no type lookup at all.
            if (!analyzePlainAdoNet && !ReferencesDataAccess(compilation))
            {
                return null;
            }

            var symbols = new DataAccessSymbols(compilation);
            var referenced = symbols.NpgsqlConnection is not null
                || symbols.SqlMapper is not null
                || symbols.RelationalDatabaseFacadeExtensions is not null
                || (analyzePlainAdoNet && symbols.DbConnection is not null);
            return referenced ? symbols : null;
        }

        /// <summary>Whether the compilation is, or references, Npgsql, Dapper or EF Core relational (by assembly name).</summary>
        public static bool ReferencesDataAccess(Compilation compilation) => References(compilation, IsDataAccessAssembly);

        /// <summary>Whether the compilation is, or references, an assembly whose name <paramref name="matches"/>.</summary>
        public static bool References(Compilation compilation, System.Func<string?, bool> matches)
        {
            if (matches(compilation.AssemblyName))
            {
                return true;
            }

            // The references' file names, not ReferencedAssemblyNames or References: those bind every referenced assembly (tens of
            // milliseconds in a project that references Roslyn), the file names are already there.
            foreach (var reference in compilation.ExternalReferences)
            {
                var name = reference switch
                {
                    PortableExecutableReference { FilePath: { } path } => FileName(path),
                    CompilationReference { Compilation.AssemblyName: { } assembly } => assembly,
                    _ => FileName(reference.Display ?? string.Empty),
                };
                if (matches(name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>/x/Npgsql.dll</c> is <c>Npgsql</c>.</summary>
        private static string FileName(string path)
        {
            var start = path.LastIndexOfAny(new[] { '/', '\\' }) + 1;
            var end = path.EndsWith(".dll", System.StringComparison.OrdinalIgnoreCase) ? path.Length - 4 : path.Length;
            return end > start ? path.Substring(start, end - start) : path;
        }

        private static bool IsDataAccessAssembly(string? name) =>
            name is "Npgsql" or "Dapper" or "Dapper.StrongName" or "Microsoft.EntityFrameworkCore.Relational";

        // Keyed by the type's definition: every target above is a non-generic type, so List<NpgsqlConnection> and List<T>
        // have the same roles. (A ConditionalWeakTable keyed by the symbol instance cost seconds on Npgsql's tests: Roslyn
        // hands out a new instance for each constructed or nullable-annotated type, and every miss added an entry.)
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ITypeSymbol, TypeRole> _roles = new(SymbolEqualityComparer.Default);

        /// <summary>What a type is to TenantGuard, computed once per type (the questions below are asked of every operation).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public TypeRole RolesOf(ITypeSymbol? type)
        {
            if (type is null || type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Array or TypeKind.Pointer or TypeKind.Enum or TypeKind.Delegate or TypeKind.Dynamic)
            {
                return TypeRole.None;
            }

            type = type.OriginalDefinition;
            if (_roles.TryGetValue(type, out var known))
            {
                return known;
            }

            return _roles.GetOrAdd(type, ComputeRoles(type));
        }

        private TypeRole ComputeRoles(ITypeSymbol type)
        {
            var roles = TypeRole.None;
            if (DerivesOrImplements(type, DbConnection, IDbConnection))
            {
                roles |= TypeRole.Connection;
            }

            if (DerivesOrImplements(type, DbCommand, IDbCommand))
            {
                roles |= TypeRole.Command;
            }

            if (DerivesOrImplements(type, DbTransaction, IDbTransaction, DbContextTransaction))
            {
                roles |= TypeRole.Transaction;
            }

            if (DerivesOrImplements(type, DbBatch))
            {
                roles |= TypeRole.Batch;
            }

            if (DerivesOrImplements(type, DbBatchCommand))
            {
                roles |= TypeRole.BatchCommand;
            }

            if (DerivesOrImplements(type, DbDataSource, NpgsqlDataSource))
            {
                roles |= TypeRole.DataSource;
            }

            if (DerivesOrImplements(type, DbProviderFactory))
            {
                roles |= TypeRole.ProviderFactory;
            }

            if (DerivesOrImplements(type, DbContext))
            {
                roles |= TypeRole.DbContext;
            }

            if (DerivesOrImplements(type, DatabaseFacade))
            {
                roles |= TypeRole.DatabaseFacade;
            }

            if (DerivesOrImplements(type, HttpMessageInvoker))
            {
                roles |= TypeRole.HttpInvoker;
            }

            if ((roles & TypeRole.DataAccess) != 0 && OtherProviders.IsOtherProvider(type))
            {
                roles |= TypeRole.OtherProvider;
            }

            return roles;
        }

        public bool IsConnection(ITypeSymbol? type) => (RolesOf(type) & TypeRole.Connection) != 0;

        public bool IsCommand(ITypeSymbol? type) => (RolesOf(type) & TypeRole.Command) != 0;

        public bool IsTransaction(ITypeSymbol? type) => (RolesOf(type) & TypeRole.Transaction) != 0;

        public bool IsBatch(ITypeSymbol? type) => (RolesOf(type) & TypeRole.Batch) != 0;

        public bool IsBatchCommand(ITypeSymbol? type) => (RolesOf(type) & TypeRole.BatchCommand) != 0;

        public bool IsDataSource(ITypeSymbol? type) => (RolesOf(type) & TypeRole.DataSource) != 0;

        public bool IsProviderFactory(ITypeSymbol? type) => (RolesOf(type) & TypeRole.ProviderFactory) != 0;

        public bool IsDbContext(ITypeSymbol? type) => (RolesOf(type) & TypeRole.DbContext) != 0;

        public bool IsDatabaseFacade(ITypeSymbol? type) => (RolesOf(type) & TypeRole.DatabaseFacade) != 0;

        public bool IsHttpInvoker(ITypeSymbol? type) => (RolesOf(type) & TypeRole.HttpInvoker) != 0;

        /// <summary>A connection, command or transaction class of a provider for another database (SqlConnection, MySqlConnection ...).</summary>
        public bool IsOtherProvider(ITypeSymbol? type) => (RolesOf(type) & TypeRole.OtherProvider) != 0;

        private int _mayHaveOtherProviders = -1;

        /// <summary>
        /// Whether the compilation sees a namespace of another database's provider at all. Most PostgreSQL projects do not,
        /// and then no value can be one of their connections: the model spares itself the question for every call.
        /// </summary>
        public bool MayHaveOtherProviders
        {
            get
            {
                if (_mayHaveOtherProviders < 0)
                {
                    var found = false;
                    foreach (var name in OtherProviders.Namespaces)
                    {
                        found |= HasNamespace(Compilation.GlobalNamespace, name);
                    }

                    _mayHaveOtherProviders = found ? 1 : 0;
                }

                return _mayHaveOtherProviders == 1;
            }
        }

        private static bool HasNamespace(INamespaceSymbol global, string name)
        {
            // GetMembers(name) looks one name up in each referenced assembly; GetNamespaceMembers() would build the merged
            // list of every namespace of every reference (the System namespace of a .NET project alone has hundreds).
            var current = global;
            foreach (var part in name.Split('.'))
            {
                INamespaceSymbol? next = null;
                foreach (var member in current.GetMembers(part))
                {
                    if (member is INamespaceSymbol ns)
                    {
                        next = ns;
                        break;
                    }
                }

                if (next is null)
                {
                    return false;
                }

                current = next;
            }

            return true;
        }

        /// <summary>
        /// Whether a method receives a connection (or DbContext): then a transaction parameter goes with it, and only a
        /// method given the transaction alone works on the transaction's connection (<c>tx.Connection</c>).
        /// </summary>
        public bool TakesConnection(IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (IsConnection(parameter.Type) || IsDbContext(parameter.Type))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether a catch of this type catches the errors a database command throws.</summary>
        public bool CatchesDatabaseErrors(ITypeSymbol? caught)
        {
            if (caught is null || caught.SpecialType == SpecialType.System_Object)
            {
                return true;
            }

            return SymbolEqualityComparer.Default.Equals(caught, Exception)
                || SymbolEqualityComparer.Default.Equals(caught, DbException)
                || SymbolEqualityComparer.Default.Equals(caught, NpgsqlException)
                || SymbolEqualityComparer.Default.Equals(caught, PostgresException);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static bool DerivesOrImplements(ITypeSymbol? type, params INamedTypeSymbol?[] targets)
        {
            if (type is null)
            {
                return false;
            }

            if (type is ITypeParameterSymbol typeParameter)
            {
                foreach (var constraint in typeParameter.ConstraintTypes)
                {
                    if (DerivesOrImplements(constraint, targets))
                    {
                        return true;
                    }
                }

                return false;
            }

            foreach (var target in targets)
            {
                if (target is null)
                {
                    continue;
                }

                if (target.TypeKind == TypeKind.Interface)
                {
                    if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target))
                    {
                        return true;
                    }

                    foreach (var implemented in type.AllInterfaces)
                    {
                        if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, target))
                        {
                            return true;
                        }
                    }

                    continue;
                }

                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}

using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Npgsql;
using TenantGuard.Analyzers;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// EF Core with the Npgsql provider on the live server: each way of applying the tenant that TenantGuard flags sees 0 rows
/// (or fails), the fixed form sees the tenant's rows, and TenantGuard flags exactly the broken forms. The code is compiled
/// from one source, so what runs is what was analyzed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class EfCoreTests(EndToEndDatabase db)
{
    private const string Source = """
        using System.Data;
        using System.Data.Common;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.EntityFrameworkCore.Diagnostics;

        namespace EfProbe;

        public sealed class Contact
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
        }

        public sealed class AppDb(DbContextOptions<AppDb> options) : DbContext(options)
        {
            public DbSet<Contact> Contacts => Set<Contact>();

            protected override void OnModelCreating(ModelBuilder model)
            {
                model.Entity<Contact>().ToTable("contacts");
                model.Entity<Contact>().Property(c => c.Id).HasColumnName("id");
                model.Entity<Contact>().Property(c => c.Name).HasColumnName("name");
            }
        }

        /// <summary>Broken: runs before the connection is open, behind a guard that is never true.</summary>
        public sealed class OpeningInterceptor(string tenant) : DbConnectionInterceptor
        {
            public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
            {
                if (connection.State == ConnectionState.Open)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT set_config('app.tenant_id', '{tenant}', false)";
                    command.ExecuteNonQuery();
                }

                return result;
            }

            public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
            {
                if (connection.State == ConnectionState.Open)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT set_config('app.tenant_id', '{tenant}', false)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return result;
            }
        }

        /// <summary>Broken: a transaction-local setting where no transaction is open.</summary>
        public sealed class LocalOpenedInterceptor(string tenant) : DbConnectionInterceptor
        {
            public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

            public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                Apply(connection);
                return Task.CompletedTask;
            }

            private void Apply(DbConnection connection)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT set_config('app.tenant_id', @tenant, true)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant;
                command.Parameters.Add(parameter);
                command.ExecuteNonQuery();
            }
        }

        /// <summary>Fixed: a session-level setting once the connection is open, in both callbacks (Npgsql resets it on return to the pool).</summary>
        public sealed class OpenedInterceptor(string tenant) : DbConnectionInterceptor
        {
            public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

            public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                Apply(connection);
                return Task.CompletedTask;
            }

            private void Apply(DbConnection connection)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT set_config('app.tenant_id', @tenant, false)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant;
                command.Parameters.Add(parameter);
                command.ExecuteNonQuery();
            }
        }

        /// <summary>Broken: the synchronous callback is overridden but applies nothing (work EF Core does synchronously runs without the tenant).</summary>
        public sealed class AsyncOnlyInterceptor(string tenant) : DbConnectionInterceptor
        {
            public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
            {
                Console.WriteLine("opened " + connection.Database);
            }

            public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT set_config('app.tenant_id', @tenant, false)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant;
                command.Parameters.Add(parameter);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        /// <summary>Broken: named like the interface's callbacks, with other parameters; the interface's default members run instead.</summary>
        public sealed class MismatchedTransactionInterceptor(string tenant) : IDbTransactionInterceptor
        {
            public void TransactionStarted(DbTransaction transaction, TransactionEndEventData eventData) => Apply(transaction);

            public Task TransactionStartedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                Apply(transaction);
                return Task.CompletedTask;
            }

            private void Apply(DbTransaction transaction)
            {
                using var command = transaction.Connection!.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT set_config('app.tenant_id', @tenant, true)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant;
                command.Parameters.Add(parameter);
                command.ExecuteNonQuery();
            }
        }

        /// <summary>Fixed: a transaction-local setting when EF Core begins a transaction, in both callbacks.</summary>
        public sealed class TransactionInterceptor(string tenant) : DbTransactionInterceptor
        {
            public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
            {
                Apply(connection, result);
                return result;
            }

            public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
            {
                Apply(connection, result);
                return ValueTask.FromResult(result);
            }

            private void Apply(DbConnection connection, DbTransaction transaction)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT set_config('app.tenant_id', @tenant, true)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant;
                command.Parameters.Add(parameter);
                command.ExecuteNonQuery();
            }
        }

        public static class Probe
        {
            // A context made by a method of the project's own is taken as the caller's (assumed) until TenantGuard
            // summarizes such methods; the two methods the flow is tested on create theirs in place.
            public static DbContextOptions<AppDb> Options(string connectionString) =>
                new DbContextOptionsBuilder<AppDb>().UseNpgsql(connectionString).Options;

            public static AppDb Context(string connectionString, params IInterceptor[] interceptors) =>
                new(new DbContextOptionsBuilder<AppDb>().UseNpgsql(connectionString).AddInterceptors(interceptors).Options);

            public static async Task<int> CountAsync(string connectionString, IInterceptor interceptor)
            {
                await using var context = Context(connectionString, interceptor);
                return await context.Contacts.CountAsync();
            }

            public static Task<int> CountSynchronously(string connectionString, IInterceptor interceptor)
            {
                using var context = Context(connectionString, interceptor);
                return Task.FromResult(context.Contacts.Count());
            }

            public static Task<int> CountSynchronouslyInTransaction(string connectionString, IInterceptor interceptor)
            {
                using var context = Context(connectionString, interceptor);
                using var transaction = context.Database.BeginTransaction();
                var count = context.Contacts.Count();
                transaction.Commit();
                return Task.FromResult(count);
            }

            public static async Task<int> CountInTransactionAsync(string connectionString, IInterceptor interceptor)
            {
                await using var context = Context(connectionString, interceptor);
                await using var transaction = await context.Database.BeginTransactionAsync();
                var count = await context.Contacts.CountAsync();
                await transaction.CommitAsync();
                return count;
            }

            /// <summary>Broken: EF opens the connection for the setting's command and closes it; the pool resets it.</summary>
            public static async Task<int> SessionSettingThenQueryAsync(string connectionString, string tenant)
            {
                await using var context = new AppDb(Options(connectionString));
                await context.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                return await context.Contacts.CountAsync();
            }

            /// <summary>Fixed: a transaction carries the setting and the query.</summary>
            public static async Task<int> SettingInTransactionAsync(string connectionString, string tenant)
            {
                await using var context = new AppDb(Options(connectionString));
                await using var transaction = await context.Database.BeginTransactionAsync();
                await context.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                var count = await context.Contacts.CountAsync();
                await transaction.CommitAsync();
                return count;
            }

            /// <summary>Broken: EF binds {0}, and SET takes no parameters.</summary>
            public static async Task<int> SetLocalWithPlaceholderAsync(string connectionString, string tenant)
            {
                await using var context = Context(connectionString);
                await using var transaction = await context.Database.BeginTransactionAsync();
                await context.Database.ExecuteSqlRawAsync("SET LOCAL app.tenant_id = {0}", tenant);
                var count = await context.Contacts.CountAsync();
                await transaction.CommitAsync();
                return count;
            }
        }
        """;

    /// <summary>
    /// ASP.NET Core middleware that applies the tenant on the request's EF Core context, then runs the rest of the
    /// pipeline: here an endpoint that counts the contacts on the same context, as a controller would. Each application
    /// below is this model plus its middleware, compiled on its own: a middleware that keeps a transaction open around
    /// the pipeline on a context type tells TenantGuard that the other steps of the request may run inside it.
    /// </summary>
    private const string MiddlewareModel = """
        using System.Reflection;
        using Microsoft.AspNetCore.Http;
        using Microsoft.EntityFrameworkCore;

        namespace EfMiddleware;

        public sealed class Contact
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
        }

        public sealed class AppDb(DbContextOptions<AppDb> options) : DbContext(options)
        {
            public DbSet<Contact> Contacts => Set<Contact>();

            protected override void OnModelCreating(ModelBuilder model)
            {
                model.Entity<Contact>().ToTable("contacts");
                model.Entity<Contact>().Property(c => c.Id).HasColumnName("id");
                model.Entity<Contact>().Property(c => c.Name).HasColumnName("name");
            }
        }

        public static class Request
        {
            /// <summary>One request through the named middleware; the endpoint counts the contacts it sees.</summary>
            public static async Task<int> RunAsync(string connectionString, string middleware, string tenant)
            {
                await using var db = new AppDb(new DbContextOptionsBuilder<AppDb>().UseNpgsql(connectionString).Options);
                var context = new DefaultHttpContext();
                context.Request.Headers["X-Tenant"] = tenant;
                var seen = -1;
                RequestDelegate endpoint = async _ => seen = await db.Contacts.CountAsync();
                var type = typeof(Request).Assembly.GetType("EfMiddleware." + middleware)!;
                var step = Activator.CreateInstance(type, endpoint)!;
                await (Task)type.GetMethod("InvokeAsync")!.Invoke(step, new object[] { context, db })!;
                return seen;
            }
        }

        """;

    /// <summary>Broken: no transaction is open; EF Core's own transaction for the command ends the setting.</summary>
    private const string LocalSettingMiddleware = MiddlewareModel + """
        public sealed class LocalSettingMiddleware(RequestDelegate next)
        {
            public async Task InvokeAsync(HttpContext context, AppDb db)
            {
                var tenant = context.Request.Headers["X-Tenant"].ToString();
                await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                await next(context);
            }
        }
        """;

    /// <summary>Fixed: a transaction around the request's work.</summary>
    private const string TransactionMiddleware = MiddlewareModel + """
        public sealed class TransactionMiddleware(RequestDelegate next)
        {
            public async Task InvokeAsync(HttpContext context, AppDb db)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", context.Request.Headers["X-Tenant"].ToString());
                await next(context);
                await transaction.CommitAsync();
            }
        }
        """;

    /// <summary>Fixed: the code opens the connection, so EF Core keeps it for the request, and the setting is the session's.</summary>
    private const string OpenConnectionMiddleware = MiddlewareModel + """
        public sealed class OpenConnectionMiddleware(RequestDelegate next)
        {
            public async Task InvokeAsync(HttpContext context, AppDb db)
            {
                await db.Database.OpenConnectionAsync();
                await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", context.Request.Headers["X-Tenant"].ToString());
                await next(context);
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<Diagnostic> Explicit)> Compiled = new(() => Compile(Source));

    [Fact]
    public async Task Interceptor_callbacks_on_the_live_server_and_as_flagged()
    {
        var tenant = "ef-" + Guid.NewGuid().ToString("N")[..8];
        await AntiPatterns.Examples.Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        var connectionString = db.AntiPatternsConnectionString;

        Assert.Equal(0, await Count(connectionString, "OpeningInterceptor", tenant));      // the guard is never true
        Assert.Equal(0, await Count(connectionString, "LocalOpenedInterceptor", tenant));  // ends with its own command
        Assert.Equal(2, await Count(connectionString, "OpenedInterceptor", tenant));       // the fixed form

        var diagnostics = Compiled.Value.Diagnostics;
        Assert.True(2 == diagnostics.Count(d => d.Id == "TG1011" && Within(d, "OpeningInterceptor")), string.Join("\n", diagnostics));
        Assert.Equal(2, diagnostics.Count(d => d.Id == "TG1011" && Within(d, "LocalOpenedInterceptor")));
        Assert.DoesNotContain(diagnostics, d => d.Id == "TG1011" && Within(d, "class OpenedInterceptor"));

        // A synchronous callback that applies nothing: EF Core's synchronous work goes through it.
        Assert.Equal(2, await Count(connectionString, "AsyncOnlyInterceptor", tenant));
        Assert.Equal(0, await Count(connectionString, "AsyncOnlyInterceptor", tenant, "CountSynchronously"));
        Assert.Equal(1, diagnostics.Count(d => d.Id == "TG1011" && Within(d, "AsyncOnlyInterceptor")));

        // Callbacks with the interface's names and other parameters are never called; the matching ones are.
        Assert.Equal(0, await Count(connectionString, "MismatchedTransactionInterceptor", tenant, "CountInTransactionAsync"));
        Assert.Equal(2, await Count(connectionString, "TransactionInterceptor", tenant, "CountInTransactionAsync"));
        Assert.Equal(2, await Count(connectionString, "TransactionInterceptor", tenant, "CountSynchronouslyInTransaction"));
        Assert.Equal(2, diagnostics.Count(d => d.Id == "TG1011" && Within(d, "MismatchedTransactionInterceptor")));
        Assert.DoesNotContain(diagnostics, d => d.Id == "TG1011" && Within(d, "class TransactionInterceptor"));
    }

    [Fact]
    public async Task Connection_lifetime_and_raw_placeholders_on_the_live_server_and_as_flagged()
    {
        var tenant = "ef-" + Guid.NewGuid().ToString("N")[..8];
        await AntiPatterns.Examples.Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        var connectionString = db.AntiPatternsConnectionString;

        Assert.Equal(0, await Call(connectionString, "SessionSettingThenQueryAsync", tenant));  // EF closed the connection
        Assert.Equal(2, await Call(connectionString, "SettingInTransactionAsync", tenant));
        var error = await Assert.ThrowsAsync<PostgresException>(() => Call(connectionString, "SetLocalWithPlaceholderAsync", tenant));
        Assert.Equal("42601", error.SqlState);

        var diagnostics = Compiled.Value.Diagnostics;
        Assert.Contains(diagnostics, d => d.Id == "TG1008" && Within(d, "SessionSettingThenQueryAsync"));
        Assert.Contains(diagnostics, d => d.Id == "TG1006" && Within(d, "SetLocalWithPlaceholderAsync"));
        Assert.DoesNotContain(diagnostics, d => d.Id is "TG1006" or "TG1007" or "TG1008" or "TG1009" && Within(d, "SettingInTransactionAsync"));

        // With EF Core in explicit mode (the interceptors in this file put it in interceptor mode), the LINQ query after
        // the lost setting is TG1001 too; the one inside the transaction is not.
        var explicitMode = Compiled.Value.Explicit;
        Assert.True(explicitMode.Any(d => d.Id == "TG1001" && Within(d, "SessionSettingThenQueryAsync")), string.Join("\n", explicitMode));
        Assert.DoesNotContain(explicitMode, d => d.Id == "TG1001" && Within(d, "SettingInTransactionAsync"));
    }

    [Fact]
    public async Task Middleware_setting_on_the_requests_context_on_the_live_server_and_as_flagged_row_30()
    {
        var tenant = "mw-" + Guid.NewGuid().ToString("N")[..8];
        await AntiPatterns.Examples.Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        var connectionString = db.AntiPatternsConnectionString;

        var broken = Compile(LocalSettingMiddleware);
        var inTransaction = Compile(TransactionMiddleware);
        var openConnection = Compile(OpenConnectionMiddleware);
        Assert.Equal(0, await Request(broken.Assembly, connectionString, "LocalSettingMiddleware", tenant));          // ended with EF Core's own command
        Assert.Equal(2, await Request(inTransaction.Assembly, connectionString, "TransactionMiddleware", tenant));     // the request's work in the transaction
        Assert.Equal(2, await Request(openConnection.Assembly, connectionString, "OpenConnectionMiddleware", tenant)); // the connection EF Core keeps open

        Assert.True(1 == broken.Diagnostics.Count(d => d.Id == "TG1007" && Within(LocalSettingMiddleware, d, "LocalSettingMiddleware")), string.Join("\n", broken.Diagnostics));
        Assert.DoesNotContain(inTransaction.Diagnostics.Concat(openConnection.Diagnostics), d => d.Id is "TG1001" or "TG1007");
    }

    private static async Task<int> Request(Assembly assembly, string connectionString, string middleware, string tenant) =>
        await (Task<int>)assembly.GetType("EfMiddleware.Request")!.GetMethod("RunAsync")!.Invoke(null, new object[] { connectionString, middleware, tenant })!;

    private static async Task<int> Count(string connectionString, string interceptor, string tenant, string probe = "CountAsync")
    {
        var assembly = Compiled.Value.Assembly;
        var instance = Activator.CreateInstance(assembly.GetType("EfProbe." + interceptor)!, tenant)!;
        return await (Task<int>)assembly.GetType("EfProbe.Probe")!.GetMethod(probe)!.Invoke(null, new[] { connectionString, instance })!;
    }

    private static async Task<int> Call(string connectionString, string method, string tenant) =>
        await (Task<int>)Compiled.Value.Assembly.GetType("EfProbe.Probe")!.GetMethod(method)!.Invoke(null, new object[] { connectionString, tenant })!;

    /// <summary>Whether a diagnostic lies inside the declaration that starts with the given text.</summary>
    private static bool Within(Diagnostic diagnostic, string declaration) => Within(Source, diagnostic, declaration);

    private static bool Within(string source, Diagnostic diagnostic, string declaration)
    {
        var start = source.IndexOf(declaration, StringComparison.Ordinal);
        var lineStart = source.LastIndexOf('\n', start) + 1;
        var indentation = source.Substring(lineStart, start - lineStart).Replace("public sealed class ", string.Empty).Replace("public static async Task<int> ", string.Empty);
        indentation = new string(' ', indentation.Length - indentation.TrimStart().Length);
        var end = source.IndexOf("\n" + indentation + "}", start, StringComparison.Ordinal);

        var position = diagnostic.Location.SourceSpan.Start;
        return start >= 0 && position >= start && position <= end;
    }

    private static (Assembly Assembly, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<Diagnostic> Explicit) Compile(string source)
    {
        var (assembly, compilation) = ProbeCompilation.Emit("EfProbe", source);
        var migration = new AdditionalFileText(Path.Combine(AnalyzerRun.SamplesDirectory(), "migrations", "001_schema.sql"));
        var diagnostics = ProbeCompilation.Analyze(compilation, new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(migration)));
        var explicitMode = ProbeCompilation.Analyze(compilation, new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(migration), new OneOption("tenantguard.efcore_context", "explicit")));
        return (assembly, diagnostics, explicitMode);
    }

    /// <summary>One <c>.globalconfig</c> key for every file.</summary>
    private sealed class OneOption(string key, string value) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(key, value);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(string key, string value) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? result)
            {
                result = name == key ? value : null;
                return result is not null;
            }
        }
    }
}

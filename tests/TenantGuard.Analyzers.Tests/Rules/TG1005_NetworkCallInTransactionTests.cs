using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.NetworkCallInTransactionAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1005_NetworkCallInTransactionTests
    {
        // ---- flagged ----

        [Fact]
        public Task Http_get_inside_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, HttpClient http)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    var body = await {|TG1005:http.GetStringAsync("https://connect.squareup.com/v2/customers")|};
                    await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@body)", new { body }, tx);
                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Json_extension_method() => Verify.AnalyzerAsync("""
            record Page(string[] Items);

            class C
            {
                async Task M(NpgsqlConnection conn, HttpClient http)
                {
                    using var tx = conn.BeginTransaction();
                    var page = await {|TG1005:http.GetFromJsonAsync<Page>("https://acuityscheduling.com/api/v1/clients")|};
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Client_from_factory_inside_loop() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, IHttpClientFactory factory, string[] urls)
                {
                    await using var tx = await conn.BeginTransactionAsync();
                    var http = factory.CreateClient("square");
                    foreach (var url in urls)
                    {
                        using var response = await {|TG1005:http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url))|};
                        await conn.ExecuteAsync("INSERT INTO t (s) VALUES (@s)", new { s = (int)response.StatusCode }, tx);
                    }

                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Open_on_some_path() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, HttpClient http, bool write)
                {
                    NpgsqlTransaction? tx = null;
                    if (write)
                    {
                        tx = await conn.BeginTransactionAsync();
                    }

                    await {|TG1005:http.PostAsync("https://example.test/hook", null)|};
                    if (tx is not null) await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Efcore_transaction() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                async Task M(AppDb db, HttpClient http)
                {
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await {|TG1005:http.DeleteAsync("https://example.test/x")|};
                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Transaction_begun_in_sql() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, HttpClient http)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("BEGIN");
                    await {|TG1005:http.GetAsync("https://example.test")|};
                    await conn.ExecuteAsync("COMMIT");
                }
            }
            """);

        [Fact]
        public Task Http_message_invoker() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, HttpMessageInvoker invoker)
                {
                    using var tx = conn.BeginTransaction();
                    using var response = await {|TG1005:invoker.SendAsync(new HttpRequestMessage(), CancellationToken.None)|};
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Configured_network_type() => Verify.AnalyzerAsync("""
            namespace Payments
            {
                public interface ISquareClient { Task<string[]> ListCustomersAsync(); }
            }

            class C
            {
                async Task M(NpgsqlConnection conn, Payments.ISquareClient square)
                {
                    await using var tx = await conn.BeginTransactionAsync();
                    var customers = await {|TG1005:square.ListCustomersAsync()|};
                    await tx.CommitAsync();
                }
            }
            """, ("tenantguard.network_types", "Payments.ISquareClient"));

        [Fact]
        public Task Inside_lambda_with_its_own_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                Func<Task> M(NpgsqlDataSource ds, HttpClient http) => async () =>
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await {|TG1005:http.GetAsync("https://example.test")|};
                    await tx.CommitAsync();
                };
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Fetch_first_then_short_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, HttpClient http)
                {
                    var body = await http.GetStringAsync("https://connect.squareup.com/v2/customers");
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@body)", new { body }, tx);
                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task After_commit() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, HttpClient http)
                {
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("UPDATE t SET a = 1", transaction: tx);
                    await tx.CommitAsync();
                    await http.PostAsync("https://example.test/hook", null);
                }
            }
            """);

        [Fact]
        public Task After_rollback() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, HttpClient http)
                {
                    var tx = conn.BeginTransaction();
                    tx.Rollback();
                    http.Send(new HttpRequestMessage());
                }
            }
            """);

        [Fact]
        public Task No_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, HttpClient http)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("UPDATE t SET a = 1");
                    await http.GetAsync("https://example.test");
                }
            }
            """);

        [Fact]
        public Task Received_transaction_is_the_callers() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(NpgsqlConnection conn, NpgsqlTransaction tx, HttpClient http) => http.GetAsync("https://example.test");
            }
            """);

        [Fact]
        public Task Non_network_members_of_http_client() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, HttpClient http)
                {
                    using var tx = conn.BeginTransaction();
                    http.CancelPendingRequests();
                    http.DefaultRequestHeaders.Add("x", "y");
                    tx.Commit();
                    http.Dispose();
                }
            }
            """);

        [Fact]
        public Task Transaction_in_another_method() => Verify.AnalyzerAsync("""
            class C
            {
                void Write(NpgsqlConnection conn)
                {
                    using var tx = conn.BeginTransaction();
                    conn.Execute("UPDATE t SET a = 1", transaction: tx);
                    tx.Commit();
                }

                Task Fetch(HttpClient http) => http.GetAsync("https://example.test");
            }
            """);

        [Fact]
        public Task Sql_commit_ends_it() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, HttpClient http)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("BEGIN; UPDATE t SET a = 1; COMMIT;");
                    await http.GetAsync("https://example.test");
                }
            }
            """);

        [Fact]
        public Task Unconfigured_client_type() => Verify.AnalyzerAsync("""
            namespace Payments
            {
                public interface ISquareClient { Task<string[]> ListCustomersAsync(); }
            }

            class C
            {
                async Task M(NpgsqlConnection conn, Payments.ISquareClient square)
                {
                    await using var tx = await conn.BeginTransactionAsync();
                    var customers = await square.ListCustomersAsync();
                    await tx.CommitAsync();
                }
            }
            """);

        // ---- the request pipeline ----

        [Fact]
        public Task Middleware_that_calls_next_inside_a_transaction() => Verify.AnalyzerAsync("""
            using Microsoft.AspNetCore.Http;

            class TenantTransactionMiddleware(RequestDelegate next, NpgsqlDataSource ds)
            {
                public async Task InvokeAsync(HttpContext context)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = "acme" }, tx);
                    await next(context);
                    await tx.CommitAsync();
                }
            }
            """,
            new (string, string)[0],
            Verify.Diagnostic("TG1005").WithSpan(10, 15, 10, 28).WithArguments(
                "'next(context)' runs the rest of the request pipeline",
                "conn",
                "every network call downstream (HTTP, caches, queues) runs inside the transaction, which holds its locks and a pooled connection for the whole request; commit before calling the next step, or open the transaction where the work is"));

        [Fact]
        public Task App_use_lambda_that_calls_next_inside_a_transaction() => Verify.AnalyzerAsync("""
            using Microsoft.AspNetCore.Http;

            static class Pipeline
            {
                public static Func<HttpContext, Func<Task>, Task> Tenant(NpgsqlDataSource ds) => async (context, next) =>
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await {|TG1005:next()|};
                    await tx.CommitAsync();
                };
            }
            """);

        [Fact]
        public Task Middleware_that_commits_before_next_is_clean() => Verify.AnalyzerAsync("""
            using Microsoft.AspNetCore.Http;

            class AuditMiddleware(RequestDelegate next, NpgsqlDataSource ds)
            {
                public async Task InvokeAsync(HttpContext context)
                {
                    await using (var conn = await ds.OpenConnectionAsync())
                    await using (var tx = await conn.BeginTransactionAsync())
                    {
                        await conn.ExecuteAsync("INSERT INTO audit (path) VALUES (@p)", new { p = context.Request.Path.Value }, tx);
                        await tx.CommitAsync();
                    }

                    await next(context);
                }
            }
            """);
    }
}

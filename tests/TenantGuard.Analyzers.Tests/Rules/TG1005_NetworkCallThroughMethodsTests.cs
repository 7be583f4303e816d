using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.NetworkCallInTransactionAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG1005 on a call of one of the project's methods that reaches the network, while a transaction is open.</summary>
    public class TG1005_NetworkCallThroughMethodsTests
    {
        private const string Clients = """
            class SquareClient
            {
                private readonly HttpClient _http = new();

                public Task<string> FetchCustomersAsync() => _http.GetStringAsync("https://connect.squareup.com/v2/customers");

                public async Task<int> CountCustomersAsync() => (await FetchCustomersAsync()).Length;

                public static string Describe(string customer) => customer.Trim();
            }

            static class Audit
            {
                public static Task LogAsync(NpgsqlConnection conn, string what, NpgsqlTransaction tx) =>
                    conn.ExecuteAsync("INSERT INTO audit (what) VALUES (@what)", new { what }, tx);

                public static async Task LogAndNotifyAsync(NpgsqlConnection conn, string what, NpgsqlTransaction tx, HttpClient http)
                {
                    await LogAsync(conn, what, tx);
                    await http.PostAsync("https://hooks.example.com/audit", new StringContent(what));
                }
            }

            """;

        [Fact]
        public Task A_method_of_the_project_that_calls_http_inside_a_transaction() => Verify.AnalyzerAsync(Clients + """
            class C
            {
                async Task M(NpgsqlDataSource ds, SquareClient square)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    var body = await square.FetchCustomersAsync();
                    await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@body)", new { body }, tx);
                    await tx.CommitAsync();
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1005").WithSpan(29, 26, 29, 54).WithArguments(
                "'SquareClient.FetchCustomersAsync' goes over the network (it calls HttpClient.GetStringAsync)",
                "conn",
                "the transaction holds its locks and a pooled connection, idle in transaction, for as long as the call takes"));

        [Fact]
        public Task The_message_names_the_path() => Verify.AnalyzerAsync(Clients + """
            class C
            {
                async Task M(NpgsqlDataSource ds, SquareClient square)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    var count = await square.CountCustomersAsync();
                    await tx.CommitAsync();
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1005").WithSpan(29, 27, 29, 55).WithArguments(
                "'SquareClient.CountCustomersAsync' goes over the network (it calls SquareClient.FetchCustomersAsync, which calls HttpClient.GetStringAsync)",
                "conn",
                "the transaction holds its locks and a pooled connection, idle in transaction, for as long as the call takes"));

        [Fact]
        public Task A_helper_given_the_connection_that_also_calls_http() => Verify.AnalyzerAsync(Clients + """
            class C
            {
                async Task M(NpgsqlDataSource ds, HttpClient http)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await {|TG1005:Audit.LogAndNotifyAsync(conn, "import", tx, http)|};
                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Quiet_outside_the_transaction_and_for_methods_that_stay_local() => Verify.AnalyzerAsync(Clients + """
            class C
            {
                async Task M(NpgsqlDataSource ds, SquareClient square)
                {
                    var body = await square.FetchCustomersAsync();
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await Audit.LogAsync(conn, SquareClient.Describe(body), tx);
                    await tx.CommitAsync();
                    await square.CountCustomersAsync();
                }
            }
            """);

        [Fact]
        public Task A_call_through_an_interface_whose_implementation_calls_http() => Verify.AnalyzerAsync("""
            interface IPaymentGateway
            {
                Task<string> ChargeAsync(decimal amount);
            }

            sealed class SquareGateway : IPaymentGateway
            {
                private readonly HttpClient _http = new();

                public async Task<string> ChargeAsync(decimal amount) =>
                    await (await _http.PostAsync("https://connect.squareup.com/v2/payments", new StringContent(amount.ToString()))).Content.ReadAsStringAsync();
            }

            class C
            {
                async Task M(NpgsqlDataSource ds, IPaymentGateway payments)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    var receipt = await payments.ChargeAsync(10m);
                    await conn.ExecuteAsync("INSERT INTO payments (receipt) VALUES (@receipt)", new { receipt }, tx);
                    await tx.CommitAsync();
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1005").WithSpan(20, 29, 20, 54).WithArguments(
                "'IPaymentGateway.ChargeAsync' goes over the network (it calls SquareGateway.ChargeAsync, which calls HttpClient.PostAsync)",
                "conn",
                "the transaction holds its locks and a pooled connection, idle in transaction, for as long as the call takes"));

        [Fact]
        public Task Quiet_when_no_implementation_goes_over_the_network() => Verify.AnalyzerAsync("""
            interface IClock
            {
                DateTime Now();
            }

            sealed class SystemClock : IClock
            {
                public DateTime Now() => DateTime.UtcNow;
            }

            class C
            {
                async Task M(NpgsqlDataSource ds, IClock clock)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("INSERT INTO events (at) VALUES (@at)", new { at = clock.Now() }, tx);
                    await tx.CommitAsync();
                }
            }
            """);
    }
}

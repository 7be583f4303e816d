using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>The TG1001 message says which case it is.</summary>
    public class TG1001_MessageTests
    {
        private static readonly (string, string)[] Tables = { ("tenantguard.tenant_tables", "contacts") };

        private static Task Expect(string body, int line, int column, int endColumn, string api, string name, string reason) =>
            Verify.AnalyzerAsync(
                "class C\n{\n" + body + "\n}\n",
                Tables,
                Verify.Diagnostic("TG1001").WithSpan(line, column, line, endColumn).WithArguments(api, name, "the tenant setting", reason));

        [Fact]
        public Task No_setting() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("DELETE FROM contacts");
                }
            """,
            6, 9, 45, "SqlMapper.Execute", "contacts", "no tenant setting is applied on this connection before it");

        [Fact]
        public Task Another_connection() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var a = ds.OpenConnection();
                    using var tx = a.BeginTransaction();
                    a.Execute("SET LOCAL app.tenant_id = '1'", transaction: tx);
                    using var b = ds.OpenConnection();
                    b.Execute("DELETE FROM contacts");
                }
            """,
            9, 9, 42, "SqlMapper.Execute", "contacts", "the setting is applied on another connection ('a', line 7)");

        [Fact]
        public Task After() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var a = ds.OpenConnection();
                    using var tx = a.BeginTransaction();
                    a.Execute("DELETE FROM tenant_x WHERE tenant_id = 1", transaction: tx);
                    a.Execute("SET LOCAL app.tenant_id = '1'", transaction: tx);
                }
            """,
            7, 9, 79, "SqlMapper.Execute", "tenant_id", "the setting on this connection comes after it (line 8)");

        [Fact]
        public Task After_in_same_text() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var a = ds.OpenConnection();
                    a.Execute("DELETE FROM contacts; SET LOCAL app.tenant_id = '1'");
                }
            """,
            6, 9, 73, "SqlMapper.Execute", "contacts", "the setting comes after it in the same command text");

        [Fact]
        public Task Some_paths() => Expect(
            """
                void M(NpgsqlDataSource ds, bool b)
                {
                    using var a = ds.OpenConnection();
                    using var tx = a.BeginTransaction();
                    if (b) a.Execute("SET LOCAL app.tenant_id = '1'", transaction: tx);
                    a.Execute("DELETE FROM contacts", transaction: tx);
                }
            """,
            8, 9, 59, "SqlMapper.Execute", "contacts", "the setting is not applied on every path that reaches it");

        [Fact]
        public Task Expired_without_transaction() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var a = ds.OpenConnection();
                    a.Execute("SET LOCAL app.tenant_id = '1'");
                    a.Execute("DELETE FROM contacts");
                }
            """,
            7, 9, 42, "SqlMapper.Execute", "contacts", "the earlier transaction-local setting ran with no explicit transaction and ended with its own command");

        [Fact]
        public Task Expired_with_commit() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var a = ds.OpenConnection();
                    var tx = a.BeginTransaction();
                    a.Execute("SET LOCAL app.tenant_id = '1'", transaction: tx);
                    tx.Commit();
                    a.Execute("DELETE FROM contacts");
                }
            """,
            9, 9, 42, "SqlMapper.Execute", "contacts", "the transaction that carried the setting has ended (commit or rollback)");

        [Fact]
        public Task Data_source() => Expect(
            """
                void M(NpgsqlDataSource ds)
                {
                    using var cmd = ds.CreateCommand("DELETE FROM contacts");
                    cmd.ExecuteNonQuery();
                }
            """,
            6, 9, 30, "NpgsqlCommand.ExecuteNonQuery", "contacts",
            "a data-source command runs on its own pooled connection, which never carries a setting made on another connection; set it in the same command text or batch, or use one connection with a transaction");
    }
}

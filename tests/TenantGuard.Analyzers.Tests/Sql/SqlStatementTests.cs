using System.Collections.Immutable;
using System.Linq;
using TenantGuard.Analyzers.Sql;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Sql
{
    public class SqlStatementTests
    {
        [Fact]
        public void Splits_on_semicolons_outside_strings_comments_and_dollar_quotes()
        {
            var script = SqlScript.Parse("SELECT ';'; -- ; \n DO $$ BEGIN; END $$; /* ; */ SELECT 2;;");
            Assert.Equal(3, script.Statements.Length);
        }

        [Theory]
        [InlineData("SET LOCAL app.tenant_id = '42'", "app.tenant_id", SettingScope.TransactionLocal)]
        [InlineData("set local app.tenant_id to '42'", "app.tenant_id", SettingScope.TransactionLocal)]
        [InlineData("SET app.tenant_id = '42'", "app.tenant_id", SettingScope.Session)]
        [InlineData("SET SESSION app.tenant_id = '42'", "app.tenant_id", SettingScope.Session)]
        [InlineData("SET \"app\".\"tenant_id\" = '42'", "app.tenant_id", SettingScope.Session)]
        [InlineData("SET LOCAL App.Tenant_Id = @t", "app.tenant_id", SettingScope.TransactionLocal)]
        public void Reads_set_statements(string sql, string name, object scope)
        {
            var statement = SqlScript.Parse(sql).Statements.Single();
            Assert.Equal(SqlStatementKind.Set, statement.Kind);
            var setting = Assert.Single(statement.Settings);
            Assert.Equal(name, setting.Name);
            Assert.Equal((SettingScope)scope, setting.Scope);
            Assert.True(setting.IsSetStatement);
        }

        [Theory]
        [InlineData("SELECT set_config('app.tenant_id', @t, true)", SettingScope.TransactionLocal)]
        [InlineData("select SET_CONFIG('app.tenant_id', :t, 'true')", SettingScope.TransactionLocal)]
        [InlineData("SELECT pg_catalog.set_config('app.tenant_id', $1, 't')", SettingScope.TransactionLocal)]
        [InlineData("SELECT set_config('app.tenant_id', @t, false)", SettingScope.Session)]
        [InlineData("SELECT set_config('app.tenant_id', @t::text, 'off')", SettingScope.Session)]
        [InlineData("SELECT set_config('app.tenant_id', @t, @local)", SettingScope.Unknown)]
        [InlineData("SELECT set_config('app.tenant_id', coalesce(@t, ''), true)", SettingScope.TransactionLocal)]
        public void Reads_set_config_calls(string sql, object scope)
        {
            var setting = Assert.Single(SqlScript.Parse(sql).Statements.Single().Settings);
            Assert.Equal("app.tenant_id", setting.Name);
            Assert.Equal((SettingScope)scope, setting.Scope);
            Assert.False(setting.IsSetStatement);
        }

        [Fact]
        public void Reads_several_set_config_calls_in_one_select()
        {
            var settings = SqlScript.Parse("SELECT set_config('app.role', @r, true), set_config('app.tenant_id', @t, true)").Statements.Single().Settings;
            Assert.Equal(new[] { "app.role", "app.tenant_id" }, settings.Select(s => s.Name));
        }

        [Theory]
        [InlineData("SET ROLE app_user")]
        [InlineData("SET SESSION AUTHORIZATION bob")]
        [InlineData("SET TIME ZONE 'UTC'")]
        [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")]
        public void Other_set_forms_are_set_statements_without_a_setting(string sql)
        {
            var statement = SqlScript.Parse(sql).Statements.Single();
            Assert.Equal(SqlStatementKind.Set, statement.Kind);
            Assert.Empty(statement.Settings);
        }

        [Theory]
        [InlineData("set nocount on create table #t(i int) set nocount off insert #t select @a a", "set nocount on|create table #t(i int) set nocount off insert #t select @a a")]
        [InlineData("SET LOCAL app.tenant_id = '42' SELECT 1", "SET LOCAL app.tenant_id = '42'|SELECT 1")]
        [InlineData("SET search_path TO public, extensions SELECT 1", "SET search_path TO public, extensions|SELECT 1")]
        [InlineData("SET statement_timeout = -1 SELECT 1", "SET statement_timeout = -1|SELECT 1")]
        [InlineData("SET app.tenant_id = tenant_\uFFFF SELECT 1", "SET app.tenant_id = tenant_\uFFFF|SELECT 1")]
        [InlineData("SET LOCAL app.tenant_id = @t; SELECT 1", "SET LOCAL app.tenant_id = @t|SELECT 1")]
        [InlineData("SET TIME ZONE 'UTC' SELECT 1", "SET TIME ZONE 'UTC' SELECT 1")]
        [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")]
        [InlineData("SET XML OPTION DOCUMENT", "SET XML OPTION DOCUMENT")]
        [InlineData("SET @c = @a + @b", "SET @c = @a + @b")]
        public void A_set_statement_ends_at_the_end_of_its_value(string sql, string expected)
        {
            var script = SqlScript.Parse(sql);
            var texts = script.Statements.Select(s => script.Text.Substring(s.Start, s.End - s.Start));
            Assert.Equal(expected, string.Join("|", texts));
        }

        [Theory]
        [InlineData("BEGIN", SqlStatementKind.Begin)]
        [InlineData("START TRANSACTION", SqlStatementKind.Begin)]
        [InlineData("COMMIT", SqlStatementKind.Commit)]
        [InlineData("END", SqlStatementKind.Commit)]
        [InlineData("ROLLBACK", SqlStatementKind.Rollback)]
        [InlineData("ROLLBACK TO SAVEPOINT s1", SqlStatementKind.RollbackToSavepoint)]
        [InlineData("rollback transaction to s1", SqlStatementKind.RollbackToSavepoint)]
        [InlineData("SAVEPOINT s1", SqlStatementKind.Savepoint)]
        [InlineData("RELEASE SAVEPOINT s1", SqlStatementKind.ReleaseSavepoint)]
        [InlineData("RESET app.tenant_id", SqlStatementKind.Reset)]
        [InlineData("DISCARD ALL", SqlStatementKind.Discard)]
        [InlineData("SELECT 1", SqlStatementKind.Other)]
        [InlineData("UPDATE contacts SET name = @n", SqlStatementKind.Other)]
        public void Classifies_statements(string sql, object kind) =>
            Assert.Equal((SqlStatementKind)kind, SqlScript.Parse(sql).Statements.Single().Kind);

        [Theory]
        [InlineData("SELECT * FROM contacts", true)]
        [InlineData("SELECT * FROM public.contacts c", true)]
        [InlineData("SELECT * FROM \"contacts\"", true)]
        [InlineData("UPDATE x SET a = 1 WHERE tenant_id = @t", true)]
        [InlineData("SELECT c.tenant_id FROM x c", true)]
        [InlineData("SELECT 'contacts'", false)]
        [InlineData("SELECT 1 -- contacts", false)]
        [InlineData("SELECT @tenant_id", false)]
        [InlineData("SELECT current_setting('app.tenant_id')", false)]
        [InlineData("SELECT * FROM contacts_archive", false)]
        public void Names_tenant_tables_and_columns(string sql, bool expected)
        {
            var names = ImmutableHashSet.Create(System.StringComparer.OrdinalIgnoreCase, "contacts", "tenant_id");
            Assert.Equal(expected, SqlScript.Parse(sql).Statements.Single().NamesAny(names, out _));
        }

        [Fact]
        public void String_values_unescape_doubled_quotes()
        {
            var script = SqlScript.Parse("'it''s'");
            Assert.Equal("it's", script.StringValue(script.Tokens[0]));
        }
    }
}

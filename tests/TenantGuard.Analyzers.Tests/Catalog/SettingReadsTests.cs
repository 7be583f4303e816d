using System.Linq;
using TenantGuard.Analyzers.Catalog;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Catalog
{
    /// <summary>How <see cref="SettingReads"/> reads current_setting calls: missing_ok, NULLIF and casts.</summary>
    public class SettingReadsTests
    {
        [Theory]
        [InlineData("tenant_id = current_setting('app.tenant_id')::uuid", "app.tenant_id", false, "uuid", false, "current_setting('app.tenant_id')::uuid")]
        [InlineData("tenant_id = current_setting('app.tenant_id', true)::uuid", "app.tenant_id", true, "uuid", false, "current_setting('app.tenant_id', true)::uuid")]
        [InlineData("tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid", "app.tenant_id", true, "uuid", true, "NULLIF(current_setting('app.tenant_id', true), '')::uuid")]
        [InlineData("tenant_id = CAST(current_setting( 'app.tenant_id' , TRUE ) AS uuid)", "app.tenant_id", true, "uuid", false, "CAST(current_setting( 'app.tenant_id' , TRUE ) AS uuid)")]
        [InlineData("tenant_id = cast(nullif(current_setting('app.tenant_id', true), '') as uuid)", "app.tenant_id", true, "uuid", true, "cast(nullif(current_setting('app.tenant_id', true), '') as uuid)")]
        [InlineData("org = current_setting('app.org')::text", "app.org", false, null, false, "current_setting('app.org')::text")]
        [InlineData("org = pg_catalog.current_setting('app.org', true)", "app.org", true, null, false, "current_setting('app.org', true)")]
        [InlineData("owner = (SELECT current_setting('app.user_id', true)::int)", "app.user_id", true, "int", false, "current_setting('app.user_id', true)::int")]
        // As PostgreSQL stores and prints them (pg_policies.qual): casts on the literals, parentheses around the call.
        [InlineData("(tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS \"nullif\"))", "app.tenant_id", true, "uuid", true, "(NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid")]
        [InlineData("(tenant_id = (current_setting('app.tenant_id'::text))::uuid)", "app.tenant_id", false, "uuid", false, "(current_setting('app.tenant_id'::text))::uuid")]
        [InlineData("(org = current_setting('app.org'::text, true))", "app.org", true, null, false, "current_setting('app.org'::text, true)")]
        [InlineData("((tenant_name)::text = ((current_setting('app.current_tenant'::text))::character varying)::text)", "app.current_tenant", false, null, false, "(current_setting('app.current_tenant'::text))::character varying")]
        public void Reads_one_call(string expression, string setting, bool missingOk, string? cast, bool guarded, string text)
        {
            var read = Assert.Single(SettingReads.In(expression));
            Assert.Equal((setting, missingOk, cast, guarded, text), (read.Setting, read.MissingOk, read.CastType, read.NullIfGuarded, read.Text));
        }

        [Theory]
        [InlineData("tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid)", true)]
        [InlineData("tenant_id IN (select m.tenant_id FROM m WHERE m.user_id = current_setting('app.user_id', true)::uuid)", true)]
        [InlineData("tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid", false)]
        [InlineData("(tenant_id = current_setting('app.tenant_id', true)::uuid) AND (SELECT true)", false)]
        public void Tells_whether_a_call_is_inside_a_scalar_subquery(string expression, bool inSubquery) =>
            Assert.Equal(inSubquery, Assert.Single(SettingReads.In(expression)).InSubquery);

        [Fact]
        public void Reads_every_call_and_skips_what_is_not_a_literal_name()
        {
            var reads = SettingReads.In("a = current_setting('x.a', true) AND b = current_setting(name_col) AND c = current_setting('x.c')::bigint -- current_setting('x.d')");
            Assert.Equal(new[] { "x.a", "x.c" }, reads.Select(r => r.Setting));
            Assert.Equal("bigint", reads[1].CastType);
        }
    }
}

using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers
{
    /// <summary>Every TenantGuard diagnostic, in one place. Each has a page at docs/rules/TGxxxx.md.</summary>
    public static class Descriptors
    {
        /// <summary>Where the rule pages are (docs/rules/ of the repository set in Directory.Build.props).</summary>
        public const string HelpLinkBase = Repository.RulesUrl;

        private const string Security = RuleCategories.Security;
        private const string Reliability = RuleCategories.Reliability;
        private const string Design = RuleCategories.Design;
        private const string Configuration = RuleCategories.Configuration;
        private const string Schema = RuleCategories.Schema;

        public static readonly DiagnosticDescriptor TG0002_IncompleteCatalog = new(
            "TG0002",
            "TenantGuard's view of row-level security is incomplete",
            "{0}",
            Configuration,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            "TenantGuard learns which tables are under row-level security, and which settings their policies read, from the migrations (.sql AdditionalFiles and SQL strings in C#). When it knows no tenant table, or cannot read a migration statement about row-level security, it says so, so that silence is never mistaken for safety.",
            HelpLinkBase + "TG0002.md",
            WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor TG1001_MissingTenantContext = Create(
            "TG1001",
            "Tenant-scoped SQL runs without the tenant setting",
            "{0} runs tenant-scoped SQL (it names '{1}') without {2} in effect: {3}",
            Security,
            "Row-level security policies read transaction-local settings such as app.tenant_id. SQL that names a tenant table or column must run on the same connection, inside the same transaction (or later in the same batch or command text) as a set_config(..., true) of every setting the table's policies read, on every path. Otherwise the policy sees no tenant: the query returns no rows, or the writes fail.");

        public static readonly DiagnosticDescriptor TG1002_PlaceholderCast = Create(
            "TG1002",
            "Named placeholder followed by a '::' cast",
            "Placeholder '{0}' is followed by a '::' cast: it breaks with Npgsql's SQL rewriting off and in SQL shared with Python stacks; write CAST({0} AS {1})",
            Reliability,
            "':name::type' works with Npgsql's default SQL rewriting and with Dapper, but fails with 42601 in positional mode (Npgsql.EnableSqlRewriting off) and in every mode of SQLAlchemy text(). CAST(:name AS type) works everywhere.");

        public static readonly DiagnosticDescriptor TG1003_SwallowedDatabaseError = Create(
            "TG1003",
            "Database error swallowed",
            "This catch swallows the database error of its try block: {0}",
            Design,
            "A catch around SQL that drops the exception hides failed writes: an import reports success while the rows were never written. Rethrow, or log the exception object, or hand it on.");

        public static readonly DiagnosticDescriptor TG1004_AbortedTransactionReused = Create(
            "TG1004",
            "Transaction used again after a caught database error",
            "The database error caught here aborts the transaction on '{0}', which is used again afterwards ({1}): every later command fails with 25P02 and the commit silently rolls back; roll back to a savepoint taken before the command, or roll the transaction back",
            Reliability,
            "After any error inside a PostgreSQL transaction, the transaction is aborted: every later command fails with 25P02 and COMMIT rolls everything back without an error from Npgsql. Catching the error and going on (next loop iteration, later statement, commit) loses all the work. Take a savepoint before each command that may fail and roll back to it in the catch, or use a transaction per unit of work.");

        public static readonly DiagnosticDescriptor TG1005_NetworkCallInTransaction = Create(
            "TG1005",
            "Network call while a transaction is open",
            "{0} while the transaction on '{1}' is open: {2}",
            Design,
            "An HTTP call made while a database transaction is open keeps the transaction, its locks and a pooled connection busy for the whole network round trip; poolers and idle_in_transaction_session_timeout then cut the connection. Fetch first, then write in a short transaction.");

        public static readonly DiagnosticDescriptor TG1006_SetWithBindParameter = Create(
            "TG1006",
            "SET with a bind parameter",
            "SET takes no bind parameters: PostgreSQL rejects '{0}' with 42601 and the transaction is aborted; use SELECT set_config('{1}', {2}, true)",
            Reliability,
            "SET and SET LOCAL are utility statements: the server does not accept parameters in them ('syntax error at or near \"$1\"'), and the failed statement aborts the transaction. set_config(name, value, true) takes a bound value and is transaction-local like SET LOCAL.");

        public static readonly DiagnosticDescriptor TG1007_LocalSettingWithoutTransaction = Create(
            "TG1007",
            "Transaction-local setting outside a transaction",
            "'{0}' is transaction-local, but {1} runs it with no explicit transaction and nothing follows it in the same command or batch: the setting ends with its own statement and has no effect",
            Security,
            "Without an explicit transaction every command is its own transaction (autocommit): a set_config(..., true) or SET LOCAL ends as soon as its command does, and the next command sees no setting. Begin a transaction first, or put the setting and the queries in one batch or command text.");

        public static readonly DiagnosticDescriptor TG1008_SessionTenantSetting = Create(
            "TG1008",
            "Tenant setting set for the whole session",
            "Tenant setting '{0}' is set for the whole session: {1}",
            Security,
            "A session-level setting outlives the request. Npgsql's pool resets connections on close, but transaction-mode poolers (PgBouncer, Supabase's pooler) and No Reset On Close hand the same server connection to the next client with the setting still in place: another tenant's context.");

        public static readonly DiagnosticDescriptor TG1009_SplicedTenantSetting = Create(
            "TG1009",
            "Tenant setting built by concatenation or interpolation",
            "The value of tenant setting '{0}' is spliced into the SQL text: crafted input can inject SQL or switch tenants; bind it with set_config('{0}', @tenant, true)",
            Security,
            "Building SET or set_config text from a tenant id by concatenation or interpolation lets crafted input inject SQL or name another tenant. Pass the value as a bound parameter of set_config.");

        public static readonly DiagnosticDescriptor TG1011_InterceptorCannotApplySetting = Create(
            "TG1011",
            "Tenant setting applied where an EF Core interceptor cannot make it work",
            "{0}",
            Security,
            "An EF Core interceptor applies the tenant setting for every connection or transaction, but only in the right callback: ConnectionOpening runs before the connection is open (a command fails, or a State == Open guard skips it); no transaction is open in ConnectionOpened, so a transaction-local setting there ends with its own statement; and EF Core calls the synchronous or the asynchronous callback, so overriding only one leaves the other path without the tenant. The queries then see no rows, with no error.");

        public static readonly DiagnosticDescriptor TG1012_SplicedTypedTenantValue = new(
            "TG1012",
            "Tenant setting built from a typed value by concatenation or interpolation",
            "The value of tenant setting '{0}' is spliced into the SQL text from a {1}, which cannot carry SQL, but the statement is still built per tenant and the value's type is not checked by the server; bind it with set_config('{0}', @tenant, true)",
            Security,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            "A Guid, number, enum or boolean spliced into SET / set_config text cannot inject SQL, so this is not the security warning TG1009. Binding it is still better: one statement text for every tenant, and no reliance on the value's type staying non-text.",
            HelpLinkBase + "TG1012.md");

        public static readonly DiagnosticDescriptor TG1013_UnreadSetting = Create(
            "TG1013",
            "Setting applied that no policy reads",
            "{0} sets '{1}', which no policy reads; the policies read {2}: {3}",
            Security,
            "Row-level security policies see only the settings they read. Code that applies a setting under another name (app.current_tenant where every policy reads app.current_tenant_id) never gives the policies a tenant: with fail-closed policies every query sees no rows and every insert fails, and with a policy of the form 'setting IS NULL OR ...' every query sees every tenant's rows. Nothing fails at the SET itself: PostgreSQL accepts any custom setting name.");

        public static readonly DiagnosticDescriptor TG1010_SecondTransaction = Create(
            "TG1010",
            "Transaction begun on a connection that already has one",
            "'{0}' begins a transaction on '{1}', which already has one open {2} (begun at line {3}): Npgsql throws 'A transaction is already in progress'; use the open transaction, or commit or roll it back first",
            Reliability,
            "A PostgreSQL connection holds one transaction at a time. Npgsql's BeginTransaction throws InvalidOperationException when one is already in progress on the connection, and EF Core's BeginTransaction throws as well. This typically happens when a helper or a code fix opens a transaction inside code that already runs in one.");

        public static readonly DiagnosticDescriptor TG2001_TableWithoutRls = Create(
            "TG2001",
            "Tenant table without row-level security",
            "Table '{0}' holds tenant rows ({1}), but row-level security is {2}: every connection reads and changes every tenant's rows; add ALTER TABLE {3} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY and a policy",
            Schema,
            "A table with a tenant column (tenantguard.tenant_columns) or listed in tenantguard.tenant_tables is only isolated by row-level security when the migrations enable it and create a policy. Without it, a query that forgets its WHERE tenant_id = ... returns every tenant's rows, and no setting changes that.");

        public static readonly DiagnosticDescriptor TG2002_RlsNotForced = Create(
            "TG2002",
            "Row-level security enabled but not forced",
            "Row-level security on '{0}' is enabled but not forced: the table's owner (often the role the application or its migrations connect as) bypasses every policy and sees every tenant's row; add ALTER TABLE {1} FORCE ROW LEVEL SECURITY",
            Schema,
            "PostgreSQL does not apply row-level security to the owner of a table unless FORCE ROW LEVEL SECURITY is set. Applications often connect as the role that ran the migrations, which owns the tables: for them the policies do nothing.");

        public static readonly DiagnosticDescriptor TG2003_NonIsolatingPolicy = Create(
            "TG2003",
            "Policy that does not isolate tenants",
            "Policy '{0}' on {1} does not isolate tenants: {2}",
            Schema,
            "Permissive policies are OR-ed: one that lets every row through (USING (true), 1 = 1, current_setting(...) IS NOT NULL alone) or that compares no tenant column with a tenant setting opens the table to every tenant, whatever the other policies say. Such policies are often left from a migration's transition state.");

        public static readonly DiagnosticDescriptor TG2004_RlsWithoutPolicy = Create(
            "TG2004",
            "Row-level security and its policies out of step",
            "{0}",
            Schema,
            "Row-level security enabled with no policy denies every row to every role it applies to (queries see nothing, writes fail); policies on a table whose row-level security is never enabled do nothing at all (every row is visible). Either way the migrations do not say what they mean.");

        public static readonly DiagnosticDescriptor TG2005_UnsafeSettingRead = Create(
            "TG2005",
            "Policy reads a setting in a form that fails at run time",
            "Policy '{0}' on {1} reads {2}: {3}; write {4}",
            Schema,
            "A custom setting a connection never set does not exist: current_setting(name) fails with 42704 unless missing_ok is true. Once a connection has set it (even transaction-locally, or RESET it), its value is the empty string, and ''::uuid fails with 22P02. In a policy, either error fails the whole query. NULLIF(current_setting(name, true), '')::uuid reads NULL in both cases, and the policy matches no row.");

        public static readonly DiagnosticDescriptor TG2008_ViewBypassesRls = Create(
            "TG2008",
            "View over a tenant table without security_invoker",
            "{0}",
            Schema,
            "A view runs its query with the privileges of the view's owner. Row-level security is then checked against the owner, and migrations usually run as a role that bypasses it. Since PostgreSQL 15, WITH (security_invoker = true) makes the view check the policies of the role that queries it. A materialized view stores the rows its owner's refresh saw, and reading it checks no policy at all: it takes neither row-level security nor security_invoker.");

        public static readonly DiagnosticDescriptor TG2006_SettingReadPerRow = new(
            "TG2006",
            "Policy evaluates current_setting per row",
            "Policy '{0}' on {1} evaluates {2} for every row it filters; wrap it in a scalar subquery, (SELECT {2}), so that PostgreSQL evaluates it once per statement (an InitPlan)",
            Schema,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            "A policy's condition is added to every query on the table. A function call in it, current_setting(...) included, is evaluated for each row the condition filters; written as a scalar subquery (SELECT current_setting(...)), it is evaluated once per statement and its result reused. The difference grows with the rows a query reads.",
            HelpLinkBase + "TG2006.md");

        public static readonly DiagnosticDescriptor TG2007_ForeignKeyAcrossTenants = Create(
            "TG2007",
            "Foreign key between tenant tables without the tenant column",
            "Foreign key {0} ({1}) references {2} without the tenant column: foreign-key checks bypass row-level security, so a tenant can point a row at another tenant's {2} row (and tell which ids exist); make it FOREIGN KEY ({3}) REFERENCES {2} ({4}), with UNIQUE ({4}) on {2}",
            Schema,
            "PostgreSQL checks foreign keys with the table owner's rights, without row-level security. A key that references a tenant table by id alone accepts another tenant's id: cross-tenant references, and an existence oracle (a foreign id is accepted where a random one fails). Including the tenant column in the key makes the database refuse both.");

        public static readonly DiagnosticDescriptor TG2009_PrivilegedAccess = Create(
            "TG2009",
            "Row-level security bypassed by a role or a grant",
            "{0}",
            Schema,
            "Policies trust the setting the connection makes; who may connect and query decides who may make it. A role with BYPASSRLS or SUPERUSER ignores every policy, so an application role must have neither. A grant to PUBLIC lets every role, present and future, query the table and set any tenant it likes.");

        public static readonly DiagnosticDescriptor TG2010_TenantColumnNotIndexed = new(
            "TG2010",
            "Tenant column leads no index",
            "No index of '{0}' starts with its tenant column '{1}': every query the policy filters reads the whole table; add CREATE INDEX ON {2} ({3})",
            Schema,
            DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            "Row-level security adds tenant_id = <setting> to every query on the table. Without an index that starts with the tenant column, PostgreSQL can only filter a sequential scan of every tenant's rows. A primary key or unique constraint that starts with the tenant column counts.",
            HelpLinkBase + "TG2010.md");

        public static readonly DiagnosticDescriptor TG2011_RejectedStatement = Create(
            "TG2011",
            "Migration statement PostgreSQL rejects",
            "PostgreSQL rejects the statement this builds, {0}, with {1}; {2}; {3}",
            Schema,
            "A DO block that builds its statements with format() puts each %I argument in double quotes when it is not a plain lower-case name (EF Core's default names: Companies, OrderLines). A name written right against that quoted identifier (tenant_isolation_%I) becomes tenant_isolation_\"Companies\", which PostgreSQL rejects with a syntax error: the DO block aborts, and not one of the policies or settings it was meant to create exists.");

        private static DiagnosticDescriptor Create(string id, string title, string message, string category, string description) =>
            new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description, HelpLinkBase + id + ".md");
    }
}

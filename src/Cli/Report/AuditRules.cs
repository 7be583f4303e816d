namespace TenantGuard.Cli.Report;

/// <summary>The audit-only checks (drift and probe), each with its default severity and what to do.</summary>
public static class AuditRules
{
    public sealed record Rule(string Id, string Severity, string Title, string Fix);

    public static readonly Rule PolicyMissing = new("TGA001", "error", "A policy of the migrations is missing from the database",
        "Apply the missing migration, or find out who dropped the policy; until then the table's rows follow the policies that remain.");

    public static readonly Rule RlsOffLive = new("TGA002", "error", "Row-level security is off in the database on a table the migrations put under it",
        "ALTER TABLE ... ENABLE ROW LEVEL SECURITY (and FORCE); with it off, every role with the table's privileges reads every tenant's rows.");

    public static readonly Rule NotForcedLive = new("TGA003", "warning", "Row-level security is not forced in the database although the migrations force it",
        "ALTER TABLE ... FORCE ROW LEVEL SECURITY; the table's owner bypasses the policies otherwise.");

    public static readonly Rule TenantTableWithoutRls = new("TGA004", "error", "A tenant table is not under row-level security in the database",
        "Enable and force row-level security with a tenant policy on the table (see TG2001).");

    public static readonly Rule TableMissing = new("TGA005", "warning", "A table of the migrations is missing from the database",
        "The migrations and the database are out of step: apply the migrations, or audit the database the application really uses.");

    public static readonly Rule PrivilegedConnection = new("TGA006", "warning", "The audited connection's role bypasses row-level security",
        "Connect the application as a role without SUPERUSER and BYPASSRLS that owns none of the tenant tables (or FORCE row-level security on them).");

    public static readonly Rule ProbeLeak = new("TGA010", "error", "A tenant table shows rows to a session without the tenant",
        "The probe counted rows with no tenant setting, or with a random tenant id: fix the policy (see TG2003, TG2005) or the role (TG2009).");

    public static readonly Rule[] All = { PolicyMissing, RlsOffLive, NotForcedLive, TenantTableWithoutRls, TableMissing, PrivilegedConnection, ProbeLeak };
}

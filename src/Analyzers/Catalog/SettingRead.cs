namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>One <c>current_setting(...)</c> call in a policy expression, and how its value is used.</summary>
    internal sealed class SettingRead
    {
        public SettingRead(string setting, bool missingOk, string? castType, bool nullIfGuarded, string text, bool inSubquery)
        {
            InSubquery = inSubquery;
            Setting = setting;
            MissingOk = missingOk;
            CastType = castType;
            NullIfGuarded = nullIfGuarded;
            Text = text;
        }

        public string Setting { get; }

        /// <summary>Called with <c>missing_ok</c> = true: a connection that never set it reads NULL instead of failing.</summary>
        public bool MissingOk { get; }

        /// <summary>The type the value is cast to (<c>uuid</c>, <c>int</c>), when it is not a text type.</summary>
        public string? CastType { get; }

        /// <summary>Wrapped in <c>NULLIF(..., '')</c> before the cast, so that an empty value becomes NULL.</summary>
        public bool NullIfGuarded { get; }

        /// <summary>The call as written, with its NULLIF and cast.</summary>
        public string Text { get; }

        /// <summary>Inside a scalar subquery (<c>(SELECT current_setting(...))</c>): evaluated once per statement (an InitPlan), not per row.</summary>
        public bool InSubquery { get; }
    }
}

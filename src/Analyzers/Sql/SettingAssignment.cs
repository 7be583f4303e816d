using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>One setting change in a statement: a <c>SET</c> or one <c>set_config(...)</c> call.</summary>
    internal sealed class SettingAssignment
    {
        public SettingAssignment(string? name, SettingScope scope, bool isSetStatement, ImmutableArray<SqlToken> valueTokens, int start, int end, int nameStart = -1, int nameEnd = -1)
        {
            Name = name;
            Scope = scope;
            IsSetStatement = isSetStatement;
            ValueTokens = valueTokens;
            Start = start;
            End = end;
            NameStart = nameStart;
            NameEnd = nameEnd;
        }

        /// <summary>The setting's name in lower case (<c>app.tenant_id</c>), or null when it is not a literal.</summary>
        public string? Name { get; }

        public SettingScope Scope { get; }

        /// <summary>True for <c>SET</c>, false for <c>set_config</c>.</summary>
        public bool IsSetStatement { get; }

        /// <summary>The tokens of the value expression.</summary>
        public ImmutableArray<SqlToken> ValueTokens { get; }

        /// <summary>Text offsets of the whole <c>SET</c> statement or <c>set_config(...)</c> call.</summary>
        public int Start { get; }

        public int End { get; }

        /// <summary>
        /// Text offsets of the name as written: the string literal of <c>set_config('app.tenant_id', ...)</c> (quotes
        /// included), or the (dotted) identifier of <c>SET app.tenant_id</c>; -1 when the name is not a literal.
        /// </summary>
        public int NameStart { get; }

        public int NameEnd { get; }
    }
}

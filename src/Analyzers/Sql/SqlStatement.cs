using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>One statement of a <see cref="SqlScript"/>, without trivia, with what TenantGuard needs to know of it.</summary>
    internal sealed class SqlStatement
    {
        private static readonly ImmutableHashSet<string> TransactionWords =
            ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "transaction", "work");

        public SqlStatement(SqlScript script, int index, ImmutableArray<SqlToken> tokens)
        {
            Script = script;
            Index = index;
            Tokens = tokens;
            Kind = Classify();
            Settings = FindSettings();
            EnsureShape();
        }

        public SqlScript Script { get; }

        public int Index { get; }

        /// <summary>Significant tokens (no whitespace or comments).</summary>
        public ImmutableArray<SqlToken> Tokens { get; }

        public SqlStatementKind Kind { get; }

        /// <summary>The settings this statement changes: a SET, or each set_config call in it.</summary>
        public ImmutableArray<SettingAssignment> Settings { get; }

        public int Start => Tokens[0].Start;

        public int End => Tokens[Tokens.Length - 1].End;

        /// <summary>The name of the setting a RESET statement resets (<c>all</c> for RESET ALL).</summary>
        public string? ResetName { get; private set; }

        public bool IsTransactionControl => Kind is SqlStatementKind.Begin or SqlStatementKind.Commit or SqlStatementKind.Rollback
            or SqlStatementKind.Savepoint or SqlStatementKind.RollbackToSavepoint or SqlStatementKind.ReleaseSavepoint;

        public bool ContainsPlaceholder
        {
            get
            {
                foreach (var token in Tokens)
                {
                    if (token.IsPlaceholder)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>
        /// Whether an identifier of this statement names one of the given tables or columns (the last part of a
        /// qualified name counts: <c>public.contacts</c>, <c>c.tenant_id</c>).
        /// </summary>
        public bool NamesAny(ImmutableHashSet<string> names, out string? found)
        {
            found = null;
            if (names.Count == 0)
            {
                return false;
            }

            foreach (var token in Tokens)
            {
                var value = Script.IdentifierValue(token);
                if (value is not null && names.Contains(value))
                {
                    found = value;
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The statement's main command, the first of SELECT, INSERT, UPDATE, DELETE or MERGE outside parentheses
        /// (after a WITH clause's queries): <c>select</c>, <c>insert</c>, ..., or an empty string.
        /// </summary>
        public string Command
        {
            get
            {
                EnsureShape();
                return _command!;
            }
        }

        /// <summary>The table an INSERT, UPDATE, DELETE or MERGE writes (its unqualified name), or null.</summary>
        public string? TargetTable
        {
            get
            {
                EnsureShape();
                return _target;
            }
        }

        private string? _command;
        private string? _target;

        private void EnsureShape()
        {
            if (_command is not null)
            {
                return;
            }

            var command = string.Empty;
            string? target = null;
            var depth = 0;
            for (var i = 0; i < Tokens.Length; i++)
            {
                var kind = Tokens[i].Kind;
                if (kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
                {
                    depth++;
                    continue;
                }

                if (kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
                {
                    depth--;
                    continue;
                }

                var word = depth == 0 ? Word(i) : string.Empty;
                if (word is not ("select" or "insert" or "update" or "delete" or "merge" or "values"))
                {
                    continue;
                }

                command = word == "values" ? "select" : word;
                var next = i + 1;
                if (Word(next) is "into" or "from")
                {
                    next++;
                }

                if (Word(next) == "only")
                {
                    next++;
                }

                if (command is not "select")
                {
                    var name = ReadName(next, out _);
                    target = name is null ? null : name.Substring(name.LastIndexOf('.') + 1);
                }

                break;
            }

            _target = target;
            _command = command;
        }

        private string Word(int index) => index < Tokens.Length && Tokens[index].Kind == SqlTokenKind.Identifier
            ? Script.TextOf(Tokens[index]).ToLowerInvariant()
            : string.Empty;

        private SqlStatementKind Classify()
        {
            switch (Word(0))
            {
                case "set":
                    return SqlStatementKind.Set;
                case "reset":
                    ResetName = ReadName(1, out _);
                    return SqlStatementKind.Reset;
                case "show":
                    return SqlStatementKind.Show;
                case "discard":
                    return SqlStatementKind.Discard;
                case "begin":
                case "start":
                    return SqlStatementKind.Begin;
                case "commit":
                case "end":
                    return SqlStatementKind.Commit;
                case "abort":
                    return SqlStatementKind.Rollback;
                case "rollback":
                    {
                        var i = 1;
                        if (TransactionWords.Contains(Word(i)))
                        {
                            i++;
                        }

                        return Word(i) == "to" ? SqlStatementKind.RollbackToSavepoint : SqlStatementKind.Rollback;
                    }

                case "savepoint":
                    return SqlStatementKind.Savepoint;
                case "release":
                    return SqlStatementKind.ReleaseSavepoint;
                default:
                    return SqlStatementKind.Other;
            }
        }

        /// <summary>Reads a dotted setting name (<c>app.tenant_id</c>, <c>"app"."tenant_id"</c>) at a token index.</summary>
        private string? ReadName(int index, out int next)
        {
            var parts = new List<string>();
            next = index;
            while (next < Tokens.Length)
            {
                var part = Script.IdentifierValue(Tokens[next]);
                if (part is null)
                {
                    break;
                }

                parts.Add(part);
                next++;
                if (next < Tokens.Length && Tokens[next].Kind == SqlTokenKind.Dot)
                {
                    next++;
                    continue;
                }

                break;
            }

            return parts.Count == 0 ? null : string.Join(".", parts);
        }

        private ImmutableArray<SettingAssignment> FindSettings()
        {
            var result = ImmutableArray.CreateBuilder<SettingAssignment>();
            if (Kind == SqlStatementKind.Set)
            {
                var set = ReadSet();
                if (set is not null)
                {
                    result.Add(set);
                }

                return result.ToImmutable();
            }

            for (var i = 0; i < Tokens.Length; i++)
            {
                if (Tokens[i].Kind != SqlTokenKind.Identifier
                    || !Script.TextOf(Tokens[i]).Equals("set_config", StringComparison.OrdinalIgnoreCase)
                    || i + 1 >= Tokens.Length
                    || Tokens[i + 1].Kind != SqlTokenKind.OpenParen)
                {
                    continue;
                }

                var call = ReadSetConfig(i);
                if (call is not null)
                {
                    result.Add(call);
                }
            }

            return result.ToImmutable();
        }

        private SettingAssignment? ReadSet()
        {
            // SET [ SESSION | LOCAL ] name { TO | = } value
            var i = 1;
            var scope = SettingScope.Session;
            var word = Word(i);
            if (word == "local")
            {
                scope = SettingScope.TransactionLocal;
                i++;
            }
            else if (word == "session" && Word(i + 1) is not "authorization" and not "characteristics")
            {
                i++;
            }

            var name = ReadName(i, out var afterName);
            if (name is null || afterName >= Tokens.Length)
            {
                return null;
            }

            var op = Tokens[afterName];
            var isAssign = (op.Kind == SqlTokenKind.Operator && Script.TextOf(op) == "=") || Word(afterName) == "to";
            if (!isAssign)
            {
                return null;
            }

            var value = Tokens.RemoveRange(0, afterName + 1);
            return new SettingAssignment(name, scope, isSetStatement: true, value, Start, End, Tokens[i].Start, Tokens[afterName - 1].End);
        }

        private SettingAssignment? ReadSetConfig(int nameIndex)
        {
            // set_config(setting_name text, new_value text, is_local boolean)
            var args = new List<ImmutableArray<SqlToken>.Builder>();
            var current = ImmutableArray.CreateBuilder<SqlToken>();
            var depth = 0;
            var i = nameIndex + 2;
            for (; i < Tokens.Length; i++)
            {
                var t = Tokens[i];
                if (t.Kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
                {
                    depth++;
                }
                else if (t.Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                }
                else if (t.Kind == SqlTokenKind.Comma && depth == 0)
                {
                    args.Add(current);
                    current = ImmutableArray.CreateBuilder<SqlToken>();
                    continue;
                }

                current.Add(t);
            }

            args.Add(current);
            if (args.Count != 3 || i >= Tokens.Length)
            {
                return null;
            }

            string? name = null;
            if (args[0].Count == 1)
            {
                name = Script.StringValue(args[0][0])?.Trim().ToLowerInvariant();
            }

            var start = nameIndex > 1 && Tokens[nameIndex - 1].Kind == SqlTokenKind.Dot ? Tokens[nameIndex - 2].Start : Tokens[nameIndex].Start;
            return name is null
                ? new SettingAssignment(name, ReadBoolean(args[2]), isSetStatement: false, args[1].ToImmutable(), start, Tokens[i].End)
                : new SettingAssignment(name, ReadBoolean(args[2]), isSetStatement: false, args[1].ToImmutable(), start, Tokens[i].End, args[0][0].Start, args[0][0].End);
        }

        private SettingScope ReadBoolean(ImmutableArray<SqlToken>.Builder tokens)
        {
            if (tokens.Count == 0)
            {
                return SettingScope.Unknown;
            }

            // 'true'::boolean, true, 't', on, 1 ...
            var text = tokens[0].Kind switch
            {
                SqlTokenKind.Identifier or SqlTokenKind.Number => Script.TextOf(tokens[0]),
                SqlTokenKind.String => Script.StringValue(tokens[0]),
                _ => null,
            };
            if (tokens.Count > 1 && !(tokens.Count == 3 && tokens[1].Kind == SqlTokenKind.Cast))
            {
                return SettingScope.Unknown;
            }

            switch (text?.Trim().ToLowerInvariant())
            {
                case "true":
                case "t":
                case "on":
                case "yes":
                case "y":
                case "1":
                    return SettingScope.TransactionLocal;
                case "false":
                case "f":
                case "off":
                case "no":
                case "n":
                case "0":
                    return SettingScope.Session;
                default:
                    return SettingScope.Unknown;
            }
        }
    }
}

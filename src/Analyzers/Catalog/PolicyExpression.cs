using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>A policy's USING or WITH CHECK expression and what TenantGuard reads from it.</summary>
    internal sealed class PolicyExpression
    {
        /// <summary>Marks a function call inside <see cref="Alternatives"/> until the function's settings are known.</summary>
        internal const string FunctionPrefix = "()";

        public PolicyExpression(string text, ImmutableArray<string> settings, ImmutableArray<ImmutableArray<string>> alternatives, ImmutableDictionary<string, string> literals, ImmutableDictionary<string, string> columns, ImmutableArray<string> functions, bool alwaysTrue)
        {
            Text = text;
            Settings = settings;
            Alternatives = alternatives;
            Literals = literals;
            Columns = columns;
            Functions = functions;
            IsAlwaysTrue = alwaysTrue;
        }

        /// <summary>The expression as written, white space folded.</summary>
        public string Text { get; }

        /// <summary>The settings it reads with <c>current_setting(...)</c>, directly or through a function of the migrations.</summary>
        public ImmutableArray<string> Settings { get; }

        /// <summary>
        /// The sets of settings that let the expression match tenant rows, one per way it can (its OR branches):
        /// <c>tenant_id = current_setting('a') OR owner = current_setting('b')</c> has two, <c>{a}</c> and <c>{b}</c>;
        /// <c>... AND ...</c> joins them. Branches that read no setting (<c>tenant_id IS NULL OR ...</c>, shared rows)
        /// are left out: they do not show a tenant its rows.
        /// </summary>
        public ImmutableArray<ImmutableArray<string>> Alternatives { get; }

        /// <summary>Settings compared with a string literal (<c>current_setting('app.role', true) = 'owner_admin'</c>): setting to literal.</summary>
        public ImmutableDictionary<string, string> Literals { get; }

        /// <summary>Settings compared with a column (<c>tenant_id = current_setting('app.tenant_id')::uuid</c>): setting to column.</summary>
        public ImmutableDictionary<string, string> Columns { get; }

        /// <summary>Functions it calls that the migrations do not define (their settings are not known).</summary>
        public ImmutableArray<string> Functions { get; }

        /// <summary><c>true</c>, <c>1 = 1</c>: the expression lets every row through.</summary>
        public bool IsAlwaysTrue { get; }

        /// <summary>Whether TenantGuard cannot tell what the expression needs: it reads no setting, is not always true, and calls functions it does not know.</summary>
        public bool IsOpaque => Settings.IsEmpty && !IsAlwaysTrue && !Functions.IsEmpty;

        /// <summary>
        /// The expression with what the migrations' functions it calls read: their settings (<paramref name="functions"/>),
        /// and the literal a gate function compares a setting with (<paramref name="gates"/>: <c>app_is_platform()</c>
        /// whose body is <c>app_mode() = 'platform'</c>).
        /// </summary>
        public PolicyExpression WithFunctionSettings(IReadOnlyDictionary<string, ImmutableArray<string>> functions, IReadOnlyDictionary<string, ImmutableDictionary<string, string>>? gates = null)
        {
            if (Functions.IsEmpty)
            {
                return this;
            }

            var literals = ThroughFunctions(Literals, functions);
            foreach (var function in Functions)
            {
                if (gates is not null && gates.TryGetValue(function, out var gate))
                {
                    literals = literals.SetItems(gate.Where(pair => !literals.ContainsKey(pair.Key)));
                }
            }

            ImmutableArray<string> Resolve(ImmutableArray<string> names)
            {
                var result = ImmutableArray.CreateBuilder<string>();
                foreach (var name in names)
                {
                    var read = name.StartsWith(FunctionPrefix, StringComparison.Ordinal)
                        ? functions.TryGetValue(name.Substring(FunctionPrefix.Length), out var known) ? known : ImmutableArray<string>.Empty
                        : ImmutableArray.Create(name);
                    foreach (var setting in read)
                    {
                        if (!result.Contains(setting))
                        {
                            result.Add(setting);
                        }
                    }
                }

                return result.ToImmutable();
            }

            var alternatives = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
            foreach (var alternative in Alternatives)
            {
                var resolved = Resolve(alternative);
                if (!resolved.IsEmpty)
                {
                    alternatives.Add(resolved);
                }
                else
                {
                    // A branch that only calls functions TenantGuard cannot see into (auth.uid()) may pass on
                    // anything: the policy asks for no particular setting.
                    alternatives.Clear();
                    break;
                }
            }

            var settings = Resolve(Settings.AddRange(Functions.Select(f => FunctionPrefix + f)));
            var unknown = Functions.Where(f => !functions.ContainsKey(f)).ToImmutableArray();
            return new PolicyExpression(Text, settings, alternatives.ToImmutable(), literals, ThroughFunctions(Columns, functions), unknown, IsAlwaysTrue);
        }

        /// <summary>
        /// A comparison with a function's result (<c>tenant_id = app.current_tenant_id()</c>) compares with the setting
        /// the function reads, when it reads exactly one; comparisons with other functions say nothing of a setting.
        /// </summary>
        private static ImmutableDictionary<string, string> ThroughFunctions(ImmutableDictionary<string, string> compared, IReadOnlyDictionary<string, ImmutableArray<string>> functions)
        {
            if (!compared.Keys.Any(k => k.StartsWith(FunctionPrefix, StringComparison.Ordinal)))
            {
                return compared;
            }

            var result = compared.ToBuilder();
            foreach (var pair in compared)
            {
                if (!pair.Key.StartsWith(FunctionPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                result.Remove(pair.Key);
                if (functions.TryGetValue(pair.Key.Substring(FunctionPrefix.Length), out var read) && read.Length == 1 && !compared.ContainsKey(read[0]))
                {
                    result[read[0]] = pair.Value;
                }
            }

            return result.ToImmutable();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The rule lines (<c>dotnet_diagnostic.TGxxxx.severity</c>) of the <c>.editorconfig</c> files the build passes as
    /// AdditionalFiles (the TenantGuard package passes them), for files that are not C# source. The compiler keeps rule
    /// lines away from the options analyzers can read and applies them to C# files only, so TenantGuard reads them the way
    /// the compiler reads them for a C# file: the files from the nearest <c>root = true</c> down to the file's own folder,
    /// the nearest last; in each, the sections whose glob matches the file's path (<c>[*]</c>, <c>[*.sql]</c>,
    /// <c>[migrations/**.sql]</c>, <c>{a,b}</c>, <c>?</c>, <c>[abc]</c>), the last one last.
    /// </summary>
    internal sealed class EditorConfigRuleLines
    {
        private const string RulePrefix = "dotnet_diagnostic.";
        private const string Suffix = ".severity";

        private readonly List<ConfigFile> _files = new();

        public EditorConfigRuleLines(IEnumerable<AdditionalText> additionalFiles, CancellationToken cancellationToken)
        {
            foreach (var file in additionalFiles)
            {
                var path = Normalize(file.Path);
                if (!path.EndsWith("/.editorconfig", StringComparison.Ordinal) || file.GetText(cancellationToken) is not { } text)
                {
                    continue;
                }

                _files.Add(ConfigFile.Parse(path.Substring(0, path.Length - ".editorconfig".Length), text.ToString()));
            }

            // Farthest first: a file nearer to the configured file overrides one farther up.
            _files.Sort((a, b) => a.Directory.Length.CompareTo(b.Directory.Length));
        }

        public bool IsEmpty => _files.Count == 0;

        /// <summary>The value of the rule line for <paramref name="id"/> that applies to <paramref name="path"/>, or null.</summary>
        public string? For(string path, string id)
        {
            path = Normalize(path);
            var applying = _files.Where(f => path.StartsWith(f.Directory, StringComparison.Ordinal)).ToList();
            var root = applying.FindLastIndex(f => f.IsRoot);
            string? value = null;
            for (var i = Math.Max(root, 0); i < applying.Count; i++)
            {
                value = applying[i].Value(path.Substring(applying[i].Directory.Length), RulePrefix + id.ToLowerInvariant() + Suffix) ?? value;
            }

            return value;
        }

        private static string Normalize(string path) => path.Replace('\\', '/');

        private sealed class ConfigFile
        {
            private readonly List<(Regex Glob, Dictionary<string, string> Values)> _sections = new();

            private ConfigFile(string directory) => Directory = directory;

            /// <summary>The folder of the file, with its trailing slash.</summary>
            public string Directory { get; }

            public bool IsRoot { get; private set; }

            public static ConfigFile Parse(string directory, string text)
            {
                var file = new ConfigFile(directory);
                Dictionary<string, string>? section = null;
                foreach (var raw in text.Split('\n'))
                {
                    var line = raw.Trim();
                    if (line.Length == 0 || line[0] is '#' or ';')
                    {
                        continue;
                    }

                    if (line[0] == '[' && line[line.Length - 1] == ']')
                    {
                        section = new Dictionary<string, string>(StringComparer.Ordinal);
                        file._sections.Add((Glob(line.Substring(1, line.Length - 2)), section));
                        continue;
                    }

                    var equals = line.IndexOfAny(new[] { '=', ':' });
                    if (equals <= 0)
                    {
                        continue;
                    }

                    var key = line.Substring(0, equals).Trim().ToLowerInvariant();
                    var value = line.Substring(equals + 1).Trim();
                    if (section is null)
                    {
                        file.IsRoot |= key == "root" && value.Equals("true", StringComparison.OrdinalIgnoreCase);
                    }
                    else
                    {
                        section[key] = value;
                    }
                }

                return file;
            }

            /// <summary>The last value of <paramref name="key"/> among the sections that match the path (relative to the folder).</summary>
            public string? Value(string relativePath, string key)
            {
                string? value = null;
                foreach (var (glob, values) in _sections)
                {
                    if (values.TryGetValue(key, out var candidate) && glob.IsMatch(relativePath))
                    {
                        value = candidate;
                    }
                }

                return value;
            }

            /// <summary>
            /// An EditorConfig section name as a regular expression over the path relative to the file's folder: a name
            /// without a slash matches in every folder below; <c>**</c> crosses folders, <c>*</c> and <c>?</c> do not.
            /// </summary>
            private static Regex Glob(string name)
            {
                if (name.StartsWith("/", StringComparison.Ordinal))
                {
                    name = name.Substring(1);
                }
                else if (name.IndexOf('/') < 0)
                {
                    name = "**/" + name;
                }

                var pattern = new StringBuilder("^");
                var braces = 0;
                for (var i = 0; i < name.Length; i++)
                {
                    var c = name[i];
                    switch (c)
                    {
                        case '*' when i + 1 < name.Length && name[i + 1] == '*':
                            i++;
                            if (i + 1 < name.Length && name[i + 1] == '/')
                            {
                                i++;
                                pattern.Append("(?:.*/)?"); // **/ matches no folder too
                            }
                            else
                            {
                                pattern.Append(".*");
                            }

                            break;
                        case '*':
                            pattern.Append("[^/]*");
                            break;
                        case '?':
                            pattern.Append("[^/]");
                            break;
                        case '[':
                            var close = name.IndexOf(']', i + 1);
                            if (close < 0)
                            {
                                pattern.Append("\\[");
                                break;
                            }

                            var set = name.Substring(i + 1, close - i - 1);
                            pattern.Append('[').Append(set.StartsWith("!", StringComparison.Ordinal) ? "^" + Regex.Escape(set.Substring(1)) : Regex.Escape(set)).Append(']');
                            i = close;
                            break;
                        case '{':
                            var end = name.IndexOf('}', i + 1);
                            var range = end < 0 ? null : Regex.Match(name.Substring(i + 1, end - i - 1), @"^(-?\d+)\.\.(-?\d+)$");
                            if (range is { Success: true })
                            {
                                pattern.Append(@"-?\d+"); // a number range: any number (the bounds are not checked)
                                i = end;
                            }
                            else
                            {
                                braces++;
                                pattern.Append("(?:");
                            }

                            break;
                        case '}' when braces > 0:
                            braces--;
                            pattern.Append(')');
                            break;
                        case ',' when braces > 0:
                            pattern.Append('|');
                            break;
                        case '\\' when i + 1 < name.Length:
                            i++;
                            pattern.Append(Regex.Escape(name[i].ToString()));
                            break;
                        default:
                            pattern.Append(Regex.Escape(c.ToString()));
                            break;
                    }
                }

                pattern.Append(')', braces).Append('$');
                return new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
            }
        }
    }
}

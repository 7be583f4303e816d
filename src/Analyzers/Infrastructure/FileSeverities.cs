using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The severity a diagnostic outside C# source (on a <c>.sql</c> AdditionalFile, or on no file) is configured to
    /// have. The compiler applies <c>.editorconfig</c> sections and category lines to diagnostics in C# files only; on any
    /// other file it applies the rule lines of global configs and of the command line alone, after the analyzer. So
    /// TenantGuard reads the configuration of the file itself and reports with that severity, or not at all:
    /// <list type="number">
    /// <item>a rule line (<c>dotnet_diagnostic.TGxxxx.severity</c>) of a global config or of the command line
    /// (<c>NoWarn</c>, <c>WarningsAsErrors</c>): the compiler applies it to every file, last;</item>
    /// <item>a rule line of the <c>.editorconfig</c> sections that match the file (<see cref="EditorConfigRuleLines"/>);</item>
    /// <item>a rule line of TenantGuard's schema preset (global_level -1: below the project's own lines);</item>
    /// <item>a category line (<c>dotnet_analyzer_diagnostic.category-Xxx.severity</c>), then
    /// <c>dotnet_analyzer_diagnostic.severity</c>: the file's <c>.editorconfig</c> sections over the global configs,
    /// TenantGuard's presets (global_level -1) last;</item>
    /// <item>what the rule chose.</item>
    /// </list>
    /// Diagnostics in C# source keep the rule's severity: the compiler configures those itself.
    /// </summary>
    internal sealed class FileSeverities
    {
        private const string CategoryPrefix = "dotnet_analyzer_diagnostic.category-";
        private const string AllRules = "dotnet_analyzer_diagnostic.severity";
        private const string Suffix = ".severity";

        private readonly Compilation _compilation;
        private readonly AnalyzerConfigOptionsProvider _provider;
        private readonly EditorConfigRuleLines _editorConfigs;
        private readonly Dictionary<string, AdditionalText> _files = new(StringComparer.Ordinal);

        public FileSeverities(Compilation compilation, AnalyzerOptions options)
        {
            _compilation = compilation;
            _provider = options.AnalyzerConfigOptionsProvider;
            _editorConfigs = new EditorConfigRuleLines(options.AdditionalFiles, CancellationToken.None);
            foreach (var file in options.AdditionalFiles)
            {
                if (!_files.ContainsKey(file.Path))
                {
                    _files.Add(file.Path, file);
                }
            }
        }

        /// <summary>
        /// Whether to report a diagnostic of <paramref name="descriptor"/> at <paramref name="location"/>, and with which
        /// severity: <paramref name="severity"/> (what the rule chose) unless the configuration says otherwise.
        /// </summary>
        public bool TryGet(DiagnosticDescriptor descriptor, Location location, ref DiagnosticSeverity severity)
        {
            if (location.IsInSource)
            {
                return true;
            }

            var path = location.Kind == LocationKind.ExternalFile ? location.GetLineSpan().Path : null;
            var global = GlobalRuleLine(descriptor.Id);
            var preset = global is not null && IsPresetLine(descriptor, global.Value);
            if (global is { } projectLine && !preset)
            {
                return Apply(projectLine, ref severity);
            }

            if (path is not null && !_editorConfigs.IsEmpty && Parse(_editorConfigs.For(path, descriptor.Id)) is { } local)
            {
                return Apply(local, ref severity);
            }

            var file = path is not null && _files.TryGetValue(path, out var text) ? _provider.GetOptions(text) : _provider.GlobalOptions;
            var category = CategoryLine(file, descriptor);
            if (global is { } presetLine)
            {
                // The project's own category line (one that says other than the preset's) wins over the preset's rule line.
                return Apply(category is { } own && own != presetLine ? own : presetLine, ref severity);
            }

            return category is not { } line || Apply(line, ref severity);
        }

        /// <summary>The file's category line for the rule, else its line for all rules.</summary>
        private static ReportDiagnostic? CategoryLine(AnalyzerConfigOptions file, DiagnosticDescriptor descriptor)
        {
            foreach (var key in new[] { CategoryPrefix + descriptor.Category + Suffix, AllRules })
            {
                if (file.TryGetValue(key, out var value) && Parse(value) is { } category)
                {
                    return category;
                }
            }

            return null;
        }

        /// <summary>
        /// A rule line of the command line, then of the global configs (which the compiler merges by global_level); one
        /// that says <c>default</c> leaves the choice to the file's configuration.
        /// </summary>
        private ReportDiagnostic? GlobalRuleLine(string id)
        {
            var options = _compilation.Options;
            if ((options.SpecificDiagnosticOptions.TryGetValue(id, out var report)
                || options.SyntaxTreeOptionsProvider?.TryGetGlobalDiagnosticValue(id, CancellationToken.None, out report) == true)
                && report != ReportDiagnostic.Default)
            {
                return report;
            }

            return null;
        }

        /// <summary>
        /// Whether a global rule line is the one TenantGuard's schema preset writes (the preset names its severity in
        /// <c>tenantguard.preset.schema</c>): ranked below the project's .editorconfig sections, as the preset is ranked
        /// below the project's own lines.
        /// </summary>
        private bool IsPresetLine(DiagnosticDescriptor descriptor, ReportDiagnostic report) =>
            descriptor.Category == SchemaCategory
            && _provider.GlobalOptions.TryGetValue(SchemaPresetKey, out var preset)
            && Parse(preset) == report;

        private const string SchemaCategory = "TenantGuard.Schema";

        /// <summary>The key by which the schema preset names its severity.</summary>
        internal const string SchemaPresetKey = "tenantguard.preset.schema";

        private static bool Apply(ReportDiagnostic report, ref DiagnosticSeverity severity)
        {
            switch (report)
            {
                case ReportDiagnostic.Suppress:
                    return false;
                case ReportDiagnostic.Error:
                    severity = DiagnosticSeverity.Error;
                    break;
                case ReportDiagnostic.Warn:
                    severity = DiagnosticSeverity.Warning;
                    break;
                case ReportDiagnostic.Info:
                    severity = DiagnosticSeverity.Info;
                    break;
                case ReportDiagnostic.Hidden:
                    severity = DiagnosticSeverity.Hidden;
                    break;
            }

            return true;
        }

        /// <summary>A severity value as the compiler reads it (an unknown value counts as not set).</summary>
        private static ReportDiagnostic? Parse(string? value)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case "default":
                    return ReportDiagnostic.Default;
                case "none":
                    return ReportDiagnostic.Suppress;
                case "silent":
                case "refactoring":
                    return ReportDiagnostic.Hidden;
                case "suggestion":
                    return ReportDiagnostic.Info;
                case "warning":
                    return ReportDiagnostic.Warn;
                case "error":
                    return ReportDiagnostic.Error;
                default:
                    return null;
            }
        }
    }
}

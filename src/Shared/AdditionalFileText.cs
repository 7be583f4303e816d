using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard
{
    /// <summary>
    /// A file passed to the analyzers as an AdditionalFile: with its text given (a migration held in memory, the live
    /// database's DDL), or read from <see cref="Path"/> each time the text is asked for. The one implementation, linked
    /// into the audit tool, the tests and the benchmarks (see their project files).
    /// </summary>
    internal sealed class AdditionalFileText : AdditionalText
    {
        private readonly string? _text;

        public AdditionalFileText(string path, string? text = null)
        {
            Path = path;
            _text = text;
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text ?? File.ReadAllText(Path));
    }
}

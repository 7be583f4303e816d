using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>Type lookups that stay right when several references define a type of the same name.</summary>
    internal static class CompilationExtensions
    {
        /// <summary>
        /// The type of that metadata name the compilation's code sees. <c>GetTypeByMetadataName</c> answers null as soon as
        /// two assemblies define the name (a shim beside the real library, a package that embeds a copy), which would
        /// make TenantGuard believe Npgsql or EF Core is not referenced at all. Then: the compilation's own type, or else
        /// the first type of that name its code can access, in the order of the references.
        /// </summary>
        /// <remarks>
        /// One scan of the references for the usual answers, none or one type (a type the compilation does not have at
        /// all was looked for twice before, once by each method; in the IDE every edit makes a new compilation, and its
        /// lookups were a third of TenantGuard's time per document). Several types: as <c>GetTypeByMetadataName</c> would
        /// choose, then as above.
        /// </remarks>
        public static INamedTypeSymbol? GetBestTypeByMetadataName(this Compilation compilation, string metadataName)
        {
            var candidates = compilation.GetTypesByMetadataName(metadataName);
            if (candidates.Length <= 1)
            {
                return candidates.IsEmpty ? null : candidates[0];
            }

            foreach (var candidate in candidates)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, compilation.Assembly))
                {
                    return candidate;
                }
            }

            if (compilation.GetTypeByMetadataName(metadataName) is { } single)
            {
                return single;
            }

            foreach (var candidate in candidates)
            {
                if (compilation.IsSymbolAccessibleWithin(candidate, compilation.Assembly))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}

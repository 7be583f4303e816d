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
        public static INamedTypeSymbol? GetBestTypeByMetadataName(this Compilation compilation, string metadataName)
        {
            if (compilation.GetTypeByMetadataName(metadataName) is { } single)
            {
                return single;
            }

            INamedTypeSymbol? accessible = null;
            foreach (var candidate in compilation.GetTypesByMetadataName(metadataName))
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, compilation.Assembly))
                {
                    return candidate;
                }

                if (accessible is null && compilation.IsSymbolAccessibleWithin(candidate, compilation.Assembly))
                {
                    accessible = candidate;
                }
            }

            return accessible;
        }
    }
}

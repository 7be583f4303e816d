using System.Collections.Generic;
using System.Linq;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>Names written as SQL for the statements C# migration operations stand for: quoted as written, case kept.</summary>
    internal static class SqlText
    {
        /// <summary><c>"ApiKeys"</c>: EF Core and FluentMigrator name objects exactly, so the name is always quoted.</summary>
        public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

        /// <summary><c>"app"."api_keys"</c>, or the name alone without a schema.</summary>
        public static string Qualified(string? schema, string name) => schema is null ? Quote(name) : Quote(schema) + "." + Quote(name);

        public static string List(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Model
{
    /// <summary>
    /// The data-access types rule out a library whose namespace the compilation does not see without looking its types
    /// up: every answer must be the one a full lookup gives (<see cref="CompilationExtensions.GetBestTypeByMetadataName"/>).
    /// </summary>
    public class DataAccessSymbolsTests
    {
        public static TheoryData<string> Compilations => new() { "all", "without EF Core", "without Dapper", "Npgsql under an extern alias" };

        [Theory]
        [MemberData(nameof(Compilations))]
        public void Every_type_is_the_one_a_full_lookup_finds(string kind)
        {
            var compilation = Create(kind);
            var symbols = DataAccessSymbols.TryCreate(compilation, analyzePlainAdoNet: true)!;
            var names = MetadataNamesOf(symbols).ToList();
            Assert.NotEmpty(names);
            foreach (var (property, metadataName) in names)
            {
                var expected = compilation.GetBestTypeByMetadataName(metadataName);
                var actual = (INamedTypeSymbol?)property.GetValue(symbols);
                Assert.True(SymbolEqualityComparer.Default.Equals(expected, actual), $"{kind}: {property.Name} ({metadataName}) is {actual?.ToString() ?? "null"}, a full lookup finds {expected?.ToString() ?? "null"}");
            }
        }

        [Fact]
        public void A_library_not_referenced_has_no_types_and_one_referenced_has_them()
        {
            var withoutEfCore = DataAccessSymbols.TryCreate(Create("without EF Core"), analyzePlainAdoNet: true)!;
            Assert.Null(withoutEfCore.DbSet);
            Assert.NotNull(withoutEfCore.NpgsqlConnection);
            Assert.NotNull(withoutEfCore.SqlMapper);
            var aliased = DataAccessSymbols.TryCreate(Create("Npgsql under an extern alias"), analyzePlainAdoNet: true)!;
            Assert.NotNull(aliased.DbSet);
        }

        private static Compilation Create(string kind)
        {
            IEnumerable<MetadataReference> references = TestReferences.All;
            references = kind switch
            {
                "without EF Core" => references.Where(r => !FileName(r).StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && !FileName(r).StartsWith("Npgsql.EntityFrameworkCore", StringComparison.Ordinal)),
                "without Dapper" => references.Where(r => FileName(r) != "Dapper.dll"),
                "Npgsql under an extern alias" => references.Select(r => FileName(r) == "Npgsql.dll" ? r.WithAliases(new[] { "npg" }) : r),
                _ => references,
            };
            return CSharpCompilation.Create(
                "symbols",
                new[] { CSharpSyntaxTree.ParseText("class C { }") },
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        }

        private static string FileName(MetadataReference reference) =>
            reference is PortableExecutableReference { FilePath: { } path } ? Path.GetFileName(path) : string.Empty;

        /// <summary>Each type property of the symbols with the metadata name it looks up (read from the type it finds in a compilation that has all of them).</summary>
        private static IEnumerable<(PropertyInfo Property, string MetadataName)> MetadataNamesOf(DataAccessSymbols symbols)
        {
            var all = DataAccessSymbols.TryCreate(Create("all"), analyzePlainAdoNet: true)!;
            foreach (var property in typeof(DataAccessSymbols).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.PropertyType == typeof(INamedTypeSymbol) && property.GetIndexParameters().Length == 0
                    && property.GetValue(all) is INamedTypeSymbol found)
                {
                    yield return (property, MetadataName(found));
                }
            }
        }

        private static string MetadataName(INamedTypeSymbol type)
        {
            var name = type.MetadataName;
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.MetadataName + "+" + name;
            }

            return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TenantGuard.Analyzers.Catalog.CSharp;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Finds the migration SQL of a compilation: .sql AdditionalFiles, and the migrations written in C#
    /// (<see cref="CSharpMigrationReader"/>: SQL strings, EF Core's and FluentMigrator's operations, helpers in any class
    /// read once per call). C# is read from syntax alone, so the catalog needs no semantic model. Documents are read in
    /// migration order (<see cref="MigrationDocument.Compare"/>).
    /// </summary>
    internal static class MigrationSources
    {
        public static PolicyCatalog Read(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
        {
            var documents = new List<MigrationDocument>();
            foreach (var file in additionalFiles)
            {
                if (!file.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var text = file.GetText(cancellationToken);
                if (text is not null)
                {
                    documents.Add(MigrationDocument.FromFile(file.Path, text));
                }
            }

            var migrationTrees = new List<SyntaxTree>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();

                if (MayHoldMigration(tree, cancellationToken))
                {
                    migrationTrees.Add(tree);
                }
            }

            if (migrationTrees.Count > 0)
            {
                // The helpers and constants the migrations use may be in any file.
                var trees = new List<(SyntaxTree Tree, string Text)>();
                foreach (var tree in compilation.SyntaxTrees)
                {
                    trees.Add((tree, tree.GetText(cancellationToken).ToString()));
                }

                var values = new CSharpValues(trees);
                var reader = new CSharpMigrationReader(new MigrationCallers(trees, values), values, documents);
                foreach (var tree in migrationTrees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    reader.Read(tree, cancellationToken);
                }
            }

            if (documents.Count == 0)
            {
                return PolicyCatalog.Empty;
            }

            documents.Sort(MigrationDocument.Compare);
            var builder = new CatalogBuilder();
            foreach (var document in documents)
            {
                builder.Read(document);
            }

            var catalog = builder.Build();
            if (catalog.Rejections.All(r => r.Unit is null))
            {
                return catalog;
            }

            // A migration that runs in one transaction is rolled back with the statement PostgreSQL rejects: read again
            // without it, keeping the rejections that say why.
            var rolledBack = new HashSet<string>(catalog.Rejections.Where(r => r.Unit is not null).Select(r => r.Unit!), StringComparer.Ordinal);
            var again = new CatalogBuilder();
            foreach (var document in documents)
            {
                if (CatalogBuilder.TransactionOf(document) is { } unit && rolledBack.Contains(unit))
                {
                    again.Skip(document);
                }
                else
                {
                    again.Read(document);
                }
            }

            again.AddRejections(catalog.Rejections.Where(r => r.Unit is not null));
            return again.Build();
        }

        /// <summary>A <c>.Sql(</c> call: raw SQL in a migration (EF Core's <c>migrationBuilder.Sql</c>, FluentMigrator's <c>Execute.Sql</c>).</summary>
        private static readonly string[] SqlCallWords = { ".Sql(" };

        /// <summary>
        /// Words one of which every file that <see cref="MayHoldMigration(string)"/> accepts contains: each test's own words,
        /// searched in the source text in any case (the test on row-level security words is case-insensitive).
        /// </summary>
        private static readonly string[] MigrationWords =
            SqlCallWords.Concat(EfCoreMigrationOperations.Words).Concat(FluentMigratorOperations.Words).Concat(CatalogBuilder.RowLevelSecurityPrefilter).ToArray();

        /// <summary>
        /// The answer of <see cref="MayHoldMigration(SyntaxTree, CancellationToken)"/> for each syntax tree. A tree is
        /// immutable and, in the IDE, the next compilation after an edit keeps the trees of every other file: only the
        /// edited file is searched again.
        /// </summary>
        private static readonly ConditionalWeakTable<SyntaxTree, object> MayHold = new();

        private static readonly object Yes = true;
        private static readonly object No = false;

        /// <summary>
        /// Whether a file may hold migrations. EF Core's model snapshots and designer files hold none (their [Migration] ids
        /// are read for order). The words are looked for in the source text itself: a large file's text is not one string,
        /// and most files of a project hold none of them.
        /// </summary>
        private static bool MayHoldMigration(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (MayHold.TryGetValue(tree, out var known))
            {
                return known == Yes;
            }

            var text = tree.GetText(cancellationToken);
            var answer = !IsGenerated(tree, text) && SourceTextSearch.ContainsAny(text, MigrationWords) && MayHoldMigration(text.ToString());
            return MayHold.GetValue(tree, _ => answer ? Yes : No) == Yes;
        }

        /// <summary>A cheap test on a file's text before its syntax is walked: row-level security, a <c>.Sql(</c> call, or EF Core's or FluentMigrator's operations.</summary>
        private static bool MayHoldMigration(string text) =>
            SourceTextSearch.ContainsAny(text, SqlCallWords, StringComparison.Ordinal)
            || EfCoreMigrationOperations.MayHoldOperations(text)
            || (FluentMigratorOperations.MayHoldOperations(text) && text.IndexOf("FluentMigrator", StringComparison.Ordinal) >= 0)
            || CatalogBuilder.MentionsRowLevelSecurity(text);

        /// <summary>Generated code, by the conventions the compiler uses: the file name, or an auto-generated header.</summary>
        private static bool IsGenerated(SyntaxTree tree, SourceText text)
        {
            var name = System.IO.Path.GetFileName(tree.FilePath);
            foreach (var suffix in new[] { ".designer.cs", ".generated.cs", ".g.cs", ".g.i.cs" })
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            var head = text.ToString(new TextSpan(0, Math.Min(text.Length, 400)));
            return head.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}

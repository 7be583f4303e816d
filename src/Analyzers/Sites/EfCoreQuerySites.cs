using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Sites
{
    /// <summary>
    /// EF Core LINQ as execution sites: an operator that runs a query over a <c>DbSet&lt;T&gt;</c> (<c>ToList</c>,
    /// <c>FirstOrDefaultAsync</c>, <c>CountAsync</c>, <c>Any</c>, <c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, <c>Find</c>, ...)
    /// sends SQL over the context's connection. Its SQL is not in the code, so it is written from the entity's mapping:
    /// the table (<c>ToTable("x")</c> in the context, <c>[Table("x")]</c>, the DbSet's name, the entity's name, and their
    /// snake_case forms) and its tenant columns (a property named <c>TenantId</c> reads as <c>tenant_id</c>).
    /// <c>SaveChanges</c> reads as writes to every table of the context.
    /// </summary>
    internal sealed class EfCoreQuerySites : ISiteRecognizer
    {
        private static readonly ImmutableHashSet<string> Operators = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "ToList", "ToListAsync", "ToArray", "ToArrayAsync", "ToDictionary", "ToDictionaryAsync", "ToHashSet", "ToHashSetAsync",
            "First", "FirstAsync", "FirstOrDefault", "FirstOrDefaultAsync", "Single", "SingleAsync", "SingleOrDefault", "SingleOrDefaultAsync",
            "Last", "LastAsync", "LastOrDefault", "LastOrDefaultAsync", "Count", "CountAsync", "LongCount", "LongCountAsync",
            "Any", "AnyAsync", "All", "AllAsync", "Sum", "SumAsync", "Min", "MinAsync", "Max", "MaxAsync", "Average", "AverageAsync",
            "ElementAt", "ElementAtAsync", "ForEachAsync", "Load", "LoadAsync", "AsAsyncEnumerable", "ExecuteUpdate", "ExecuteUpdateAsync",
            "ExecuteDelete", "ExecuteDeleteAsync", "Find", "FindAsync");

        public ExecutionSite? TryCreate(IInvocationOperation invocation, MethodModel model) => TryCreate(invocation, model, model.Symbols);

        /// <summary>
        /// The collection of a <c>foreach</c>: a DbSet or a query over one (<c>db.Contacts</c>, <c>db.Contacts.Where(...)</c>, <c>db.Set&lt;T&gt;().OrderBy(...)</c>)
        /// runs its SQL when the loop enumerates it. A materialized result (<c>ToList()</c>) is a site of its own already.
        /// </summary>
        public ExecutionSite? TryCreateEnumerated(IOperation collection, MethodModel model) => TryCreateEnumerated(collection, model, model.Symbols);

        private static ExecutionSite? TryCreate(IInvocationOperation invocation, MethodModel model, DataAccessSymbols symbols)
        {
            var name = invocation.TargetMethod.Name;
            if (name is "SaveChanges" or "SaveChangesAsync" && invocation.Instance is { } saved && symbols.IsDbContext(saved.Type))
            {
                return SaveChanges(invocation, model, symbols, saved);
            }

            if (symbols.DbSet is null || !Operators.Contains(name))
            {
                return null;
            }

            // The source: the instance (DbSet.Find) or the first argument of the extension, down to the DbSet.
            var source = invocation.Instance ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
            return FromSource(invocation, source, model, symbols, enumerated: false);
        }

        private static ExecutionSite? TryCreateEnumerated(IOperation query, MethodModel model, DataAccessSymbols symbols)
        {
            if (symbols.DbSet is null || query is IInvocationOperation { TargetMethod.Name: var name } && Operators.Contains(name) || !IsQueryable(query.Type))
            {
                return null;
            }

            if (query is not IInvocationOperation and not IPropertyReferenceOperation)
            {
                return null;
            }

            return FromSource(query, query, model, symbols, enumerated: true);
        }

        /// <summary>The site for <paramref name="site"/>, when <paramref name="source"/> leads through query operators down to a DbSet of a context.</summary>
        private static ExecutionSite? FromSource(IOperation site, IOperation? source, MethodModel model, DataAccessSymbols symbols, bool enumerated)
        {
            for (var depth = 0; depth < 32 && source is not null; depth++)
            {
                source = OperationHelpers.Unwrap(source);
                if (source is IPropertyReferenceOperation { Instance: { } owner } property && IsDbSet(property.Type, symbols) && symbols.IsDbContext(owner.Type))
                {
                    return Site(site, model, symbols, (INamedTypeSymbol)property.Type!, owner, property.Property.Name, enumerated);
                }

                if (source is IInvocationOperation { TargetMethod.Name: "Set", Instance: { } context } set && IsDbSet(set.Type, symbols) && symbols.IsDbContext(context.Type))
                {
                    return Site(site, model, symbols, (INamedTypeSymbol)set.Type!, context, null, enumerated);
                }

                source = source is IInvocationOperation inner
                    ? inner.Instance ?? (inner.TargetMethod.IsExtensionMethod && inner.Arguments.Length > 0 ? inner.Arguments[0].Value : null)
                    : null;
            }

            return null;
        }

        private static bool IsQueryable(ITypeSymbol? type) =>
            type is not null && (IsQueryableInterface(type) || type.AllInterfaces.Any(IsQueryableInterface));

        private static bool IsQueryableInterface(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "IQueryable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

        /// <summary>
        /// <c>SaveChanges</c> writes whatever the context tracks: read as an INSERT into every table of the context's
        /// DbSets, so it is tenant-scoped when one of them is.
        /// </summary>
        private static ExecutionSite? SaveChanges(IInvocationOperation invocation, MethodModel model, DataAccessSymbols symbols, IOperation context)
        {
            var parts = new List<string>();
            for (var type = context.Type as INamedTypeSymbol; type is not null && type.Locations.Length > 0 && type.Locations[0].IsInSource; type = type.BaseType)
            {
                foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
                {
                    if (IsDbSet(property.Type, symbols))
                    {
                        var entity = ((INamedTypeSymbol)property.Type).TypeArguments[0];
                        parts.Add("INSERT INTO " + symbols.EntityTables.GetOrAdd(entity, e => Tables(e, context.Type as INamedTypeSymbol, property.Name)) + TenantColumns(entity));
                    }
                }
            }

            if (parts.Count == 0)
            {
                return null;
            }

            var builder = new SqlSource.Builder();
            builder.AppendCoarse(string.Join("; ", parts), invocation.Syntax.SyntaxTree, invocation.Syntax.Span);
            return new ExecutionSite(invocation, SiteKind.EfCore, model.KeyOf(context), null, builder.ToSource());
        }

        private static bool IsDbSet(ITypeSymbol? type, DataAccessSymbols symbols) =>
            type is INamedTypeSymbol { IsGenericType: true } named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.DbSet);

        private static ExecutionSite Site(IOperation invocation, MethodModel model, DataAccessSymbols symbols, INamedTypeSymbol dbSet, IOperation context, string? dbSetName, bool enumerated)
        {
            var entity = dbSet.TypeArguments[0];
            var tables = symbols.EntityTables.GetOrAdd(entity, e => Tables(e, context.Type as INamedTypeSymbol, dbSetName));
            var method = (invocation as IInvocationOperation)?.TargetMethod.Name ?? string.Empty;
            var verb = method.StartsWith("ExecuteUpdate", StringComparison.Ordinal) ? "UPDATE " + tables + " SET x = 1"
                : method.StartsWith("ExecuteDelete", StringComparison.Ordinal) ? "DELETE FROM " + tables
                : "SELECT * FROM " + tables;
            var builder = new SqlSource.Builder();
            builder.AppendCoarse(verb + TenantColumns(entity), invocation.Syntax.SyntaxTree, invocation.Syntax.Span);
            return new ExecutionSite(invocation, SiteKind.EfCore, model.KeyOf(context), null, builder.ToSource(), enumerated);
        }

        /// <summary>The table names an entity may map to, as a FROM list (the first mapping found wins its place).</summary>
        private static string Tables(ITypeSymbol entity, INamedTypeSymbol? context, string? dbSetName)
        {
            var names = new List<string>();
            void Add(string? name)
            {
                if (!string.IsNullOrEmpty(name) && !names.Contains(name!))
                {
                    names.Add(name!);
                }
            }

            foreach (var attribute in entity.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == "TableAttribute" && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string table)
                {
                    Add(table);
                }
            }

            for (var type = context; type is not null && type.Locations.Length > 0 && type.Locations[0].IsInSource; type = type.BaseType)
            {
                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    foreach (var toTable in reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>())
                    {
                        if (toTable.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToTable" }
                            && toTable.ArgumentList.Arguments.Count > 0
                            && toTable.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal
                            && ConfiguresEntity(toTable, entity.Name))
                        {
                            Add(literal.Token.ValueText);
                        }
                    }
                }
            }

            Add(dbSetName);
            Add(dbSetName is null ? null : SnakeCase(dbSetName));
            Add(entity.Name);
            Add(SnakeCase(entity.Name));
            return string.Join(", ", names.Select(n => "\"" + n.Replace("\"", "\"\"") + "\""));
        }

        /// <summary>Whether a <c>ToTable</c> call configures the entity: <c>Entity&lt;T&gt;().ToTable</c>, or inside <c>Entity&lt;T&gt;(b => ...)</c>.</summary>
        private static bool ConfiguresEntity(SyntaxNode toTable, string entity)
        {
            foreach (var node in toTable.DescendantNodesAndSelf().Concat(toTable.Ancestors()))
            {
                if (node is GenericNameSyntax { Identifier.ValueText: "Entity", TypeArgumentList.Arguments.Count: 1 } generic
                    && generic.TypeArgumentList.Arguments[0] is SimpleNameSyntax { Identifier.ValueText: var argument } && argument == entity)
                {
                    return true;
                }

                if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "Entity" } other } } && other.TypeArgumentList.Arguments[0] is SimpleNameSyntax { Identifier.ValueText: var configured } && configured != entity)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary><c> WHERE tenant_id = 1</c> for each property named like a tenant key (<c>TenantId</c>).</summary>
        private static string TenantColumns(ITypeSymbol entity)
        {
            var columns = entity.GetMembers().OfType<IPropertySymbol>().Where(p => p.Name.EndsWith("TenantId", StringComparison.Ordinal)).Select(p => SnakeCase(p.Name)).ToList();
            return columns.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", columns.Select(c => c + " = 1"));
        }

        private static string SnakeCase(string name)
        {
            var builder = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(name[i]));
            }

            return builder.ToString();
        }
    }
}

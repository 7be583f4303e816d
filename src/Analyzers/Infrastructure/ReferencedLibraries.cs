using System;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>Which of the libraries TenantGuard reads a compilation is or references, from the assembly names alone.</summary>
    internal sealed class ReferencedLibraries
    {
        public ReferencedLibraries(Compilation compilation)
        {
            DataAccess = DataAccessSymbols.ReferencesDataAccess(compilation);
            FluentMigrator = DataAccessSymbols.References(compilation, name => name is not null && name.StartsWith("FluentMigrator", StringComparison.Ordinal));
        }

        /// <summary>Npgsql, Dapper or EF Core relational.</summary>
        public bool DataAccess { get; }

        /// <summary>FluentMigrator, whose migrations are C# strings.</summary>
        public bool FluentMigrator { get; }
    }
}

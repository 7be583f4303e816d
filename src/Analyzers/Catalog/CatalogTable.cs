using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>One table as the migrations leave it.</summary>
    internal sealed class CatalogTable
    {
        public CatalogTable(string name)
        {
            Name = name;
        }

        /// <summary>The unqualified name, folded to lower case unless quoted.</summary>
        public string Name { get; set; }

        /// <summary>What a statement TenantGuard could not read may have changed on this table (<see cref="UnknownAspects"/>).</summary>
        public UnknownAspects Unknown { get; set; }

        /// <summary>The schema it was named with, if any.</summary>
        public string? Schema { get; set; }

        public bool Created { get; set; }

        public Location? Location { get; set; }

        public bool RlsEnabled { get; set; }

        public bool RlsForced { get; set; }

        public Location? RlsLocation { get; set; }

        public List<string> Columns { get; } = new();

        /// <summary>Each column's type as the migration writes it (<c>uuid</c>, <c>character varying(64)</c>), where it gives one.</summary>
        public Dictionary<string, string> ColumnTypes { get; } = new(StringComparer.Ordinal);

        /// <summary>The primary key's columns (empty when the migrations declare none).</summary>
        public List<string> PrimaryKey { get; } = new();

        /// <summary>The primary key constraint's name, when the migration gives one.</summary>
        public string? PrimaryKeyName { get; set; }

        /// <summary>
        /// The table that lists the tenants themselves: its primary key is the tenant column alone
        /// (<c>tenant (tenant_id PRIMARY KEY, ...)</c>), or it is named <c>tenant</c> or <c>tenants</c>. Its rows are not
        /// any one tenant's.
        /// </summary>
        public bool IsTenantRegistry(ImmutableHashSet<string> tenantColumns) =>
            (PrimaryKey.Count == 1 && tenantColumns.Contains(PrimaryKey[0]))
            || Name.Equals("tenant", StringComparison.OrdinalIgnoreCase) || Name.Equals("tenants", StringComparison.OrdinalIgnoreCase);

        /// <summary>The table's tenant column, unless it is the tenant registry; null when it has none.</summary>
        public string? TenantColumn(ImmutableHashSet<string> tenantColumns) =>
            IsTenantRegistry(tenantColumns) ? null : Columns.Find(tenantColumns.Contains);

        /// <summary>
        /// Whether the table's rows belong to tenants: it has a tenant column (and is not the tenant registry), is
        /// configured as a tenant table, or one of its policies compares a setting with a column (isolation is meant).
        /// </summary>
        public bool HoldsTenantRows(ImmutableHashSet<string> tenantColumns, ImmutableHashSet<string> configuredTables)
        {
            if (configuredTables.Contains(Name))
            {
                return true;
            }

            if (IsTenantRegistry(tenantColumns))
            {
                return false;
            }

            if (TenantColumn(tenantColumns) is not null)
            {
                return true;
            }

            foreach (var policy in Policies)
            {
                if (policy.Using?.Columns.IsEmpty == false || policy.WithCheck?.Columns.IsEmpty == false)
                {
                    return true;
                }
            }

            return false;
        }

        public List<CatalogPolicy> Policies { get; } = new();

        public List<CatalogForeignKey> ForeignKeys { get; } = new();

        public List<CatalogIndex> Indexes { get; } = new();

        public List<CatalogGrant> Grants { get; } = new();

        /// <summary>Whether row-level security is on, or a policy names the table (a policy is written for RLS).</summary>
        public bool IsUnderRls => RlsEnabled || Policies.Count > 0;
    }
}

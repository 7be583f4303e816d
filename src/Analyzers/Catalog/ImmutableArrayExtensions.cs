using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Catalog
{
    internal static class ImmutableArrayExtensions
    {
        public static ImmutableArray<T> Skip<T>(this ImmutableArray<T> array, int start, int count)
        {
            var builder = ImmutableArray.CreateBuilder<T>(count);
            for (var i = start; i < start + count; i++)
            {
                builder.Add(array[i]);
            }

            return builder.MoveToImmutable();
        }
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Framework entry points, recognized from their symbols alone (types and attributes compared by name, so nothing is
    /// looked up that the compilation does not reference). An EF Core context injected into one starts with no
    /// transaction (see <c>Flow/TenantContextFlow</c>): no caller of the application's own can have begun one.
    /// </summary>
    internal static class EntryPoints
    {
        /// <summary>What kind of entry point a method (not a lambda) is.</summary>
        public static EntryPointKind KindOf(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.ContainingType is not { TypeKind: TypeKind.Class } type)
            {
                return EntryPointKind.None;
            }

            if (method.Name is "Invoke" or "InvokeAsync" && method.Parameters.Length > 0 && IsType(method.Parameters[0].Type, "HttpContext", "Microsoft.AspNetCore.Http"))
            {
                return EntryPointKind.Request;
            }

            if (method.DeclaredAccessibility == Accessibility.Public && !type.IsAbstract && IsController(type) && !HasAttribute(method, "NonActionAttribute"))
            {
                return EntryPointKind.Request;
            }

            if ((method.Name is "ExecuteAsync" or "StartAsync" or "StopAsync" && (Implements(type, "IHostedService", "Microsoft.Extensions.Hosting") || DerivesFrom(type, "BackgroundService", "Microsoft.Extensions.Hosting")))
                || (method.Name == "Execute" && Implements(type, "IJob", "Quartz"))
                || Implements(type, "IInterceptor", "Microsoft.EntityFrameworkCore.Diagnostics")
                || HasHangfireAttribute(method) || HasHangfireAttribute(type))
            {
                return EntryPointKind.Background;
            }

            return EntryPointKind.None;
        }

        /// <summary>
        /// Whether a lambda is a minimal-API handler: the delegate argument of <c>app.MapGet(...)</c>, <c>MapPost</c>,
        /// <c>MapPut</c>, <c>MapDelete</c>, <c>MapPatch</c>, <c>MapMethods</c> or <c>Map</c>.
        /// </summary>
        public static bool IsMinimalApiHandler(IAnonymousFunctionOperation lambda) =>
            OperationHelpers.CallReceiving(lambda) is { Call.TargetMethod: { Name: "Map" or "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" } map }
            && map.ContainingNamespace?.ToDisplayString() is "Microsoft.AspNetCore.Builder" or "Microsoft.AspNetCore.Routing";

        /// <summary>
        /// Whether a lambda is an inline middleware: the delegate argument of <c>app.Use(async (context, next) =&gt; ...)</c>
        /// (ASP.NET Core's <c>UseExtensions.Use</c>, with the request's <c>HttpContext</c> first and the pipeline's next
        /// step second, a <c>Func&lt;Task&gt;</c> or a <c>RequestDelegate</c>). It is a step of the request, as a middleware
        /// class's <c>InvokeAsync</c> is.
        /// </summary>
        public static bool IsInlineMiddleware(IAnonymousFunctionOperation lambda) =>
            OperationHelpers.CallReceiving(lambda) is { Call.TargetMethod: { Name: "Use" } use }
            && use.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Builder"
            && lambda.Symbol.Parameters.Length == 2
            && IsType(lambda.Symbol.Parameters[0].Type, "HttpContext", "Microsoft.AspNetCore.Http");

        /// <summary>
        /// A controller: a class deriving from ASP.NET Core's <c>ControllerBase</c>, marked <c>[ApiController]</c> or
        /// <c>[Controller]</c>, or public with a name ending in <c>Controller</c> (ASP.NET Core's own convention).
        /// </summary>
        private static bool IsController(INamedTypeSymbol type)
        {
            if (HasAttribute(type, "NonControllerAttribute"))
            {
                return false;
            }

            return DerivesFrom(type, "ControllerBase", "Microsoft.AspNetCore.Mvc")
                || HasAttribute(type, "ApiControllerAttribute") || HasAttribute(type, "ControllerAttribute")
                || (type.DeclaredAccessibility == Accessibility.Public && type.Name.EndsWith("Controller", System.StringComparison.Ordinal));
        }

        private static bool HasHangfireAttribute(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ContainingNamespace?.ToDisplayString() == "Hangfire")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasAttribute(ISymbol symbol, string name)
        {
            for (var type = symbol as INamedTypeSymbol; ; type = type.BaseType)
            {
                foreach (var attribute in (type ?? symbol).GetAttributes())
                {
                    if (attribute.AttributeClass?.Name == name)
                    {
                        return true;
                    }
                }

                if (type?.BaseType is null)
                {
                    return false;
                }
            }
        }

        private static bool DerivesFrom(INamedTypeSymbol type, string name, string ns)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (IsType(current, name, ns))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Implements(INamedTypeSymbol type, string name, string ns)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (IsType(implemented, name, ns))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsType(ITypeSymbol type, string name, string ns) =>
            type.Name == name && type.ContainingNamespace?.ToDisplayString() == ns;
    }
}

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
    internal static class OperationHelpers
    {
        /// <summary>
        /// The lambda (or anonymous method) of a method's operation tree written at <paramref name="syntax"/>: the
        /// original of one a control-flow graph shows (whose parents the graph may have replaced by captures).
        /// </summary>
        public static IAnonymousFunctionOperation? LambdaAt(IOperation root, SyntaxNode syntax)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (operation is IAnonymousFunctionOperation lambda && lambda.Syntax == syntax)
                {
                    return lambda;
                }
            }

            return null;
        }

        /// <summary>
        /// The call a lambda (or a method group's delegate) is passed to as an argument
        /// (<c>store.InTransactionAsync(async (c, t) =&gt; ...)</c>), with that argument.
        /// </summary>
        public static (IInvocationOperation Call, IArgumentOperation Argument)? CallReceiving(IOperation lambda)
        {
            var parent = lambda.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent is IArgumentOperation { Parent: IInvocationOperation call } argument ? (call, argument) : null;
        }

        /// <summary>The type of the value a parameter, field, property or local holds; null for any other symbol.</summary>
        public static ITypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
        {
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            ILocalSymbol local => local.Type,
            _ => null,
        };

        /// <summary>The result type of a Task or ValueTask; the type itself otherwise.</summary>
        public static ITypeSymbol UnwrapTask(ITypeSymbol type) =>
            type is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : type;

        /// <summary>The literal <c>null</c> (or a constant that is null), through conversions.</summary>
        public static bool IsNullConstant(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: null };

        /// <summary>Strips conversions (and <c>await</c> when asked).</summary>
        public static IOperation? Unwrap(IOperation? operation, bool throughAwait = false)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IAwaitOperation awaited when throughAwait:
                        operation = awaited.Operation;
                        continue;
                    case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaitable } when throughAwait:
                        operation = awaitable;
                        continue;
                    default:
                        return operation;
                }
            }
        }

        public static bool IsNullOrDefault(IOperation? operation) =>
            operation is null || (operation.ConstantValue.HasValue && operation.ConstantValue.Value is null) || operation is IDefaultValueOperation;

        /// <summary>The value passed for the parameter of this name, null when absent or passed as null.</summary>
        public static IOperation? Argument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, string parameterName)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.Name == parameterName)
                {
                    return IsNullOrDefault(argument.Value) ? null : argument.Value;
                }
            }

            return null;
        }

        /// <summary>The receiver: the instance, or the first argument of an extension method.</summary>
        public static IOperation? Receiver(IInvocationOperation invocation)
        {
            var receiver = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
            if (receiver is IConditionalAccessInstanceOperation)
            {
                // tx?.Dispose(): the receiver is what the conditional access tests for null.
                for (var parent = invocation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IConditionalAccessOperation access)
                    {
                        return access.Operation;
                    }
                }
            }

            return receiver;
        }

        /// <summary>Operations of a body in pre-order, not entering nested lambdas and local functions.</summary>
        public static IEnumerable<IOperation> DescendantsInBody(IOperation root)
        {
            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                yield return current;
                var children = new List<IOperation>(current.ChildOperations);
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    if (children[i] is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        continue;
                    }

                    stack.Push(children[i]);
                }
            }
        }

        /// <summary>Whether <paramref name="node"/> lies inside <paramref name="container"/>'s span.</summary>
        public static bool IsWithin(SyntaxNode node, SyntaxNode container) =>
            node.SyntaxTree == container.SyntaxTree && container.Span.Contains(node.Span);
    }
}

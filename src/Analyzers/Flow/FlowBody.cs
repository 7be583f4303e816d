using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>One control-flow graph analysed: a method body, or a lambda or local function inside it.</summary>
    internal sealed class FlowBody
    {
        public FlowBody(ControlFlowGraph graph, SyntaxNode syntax, FlowState?[] inputs, List<FlowEvent>[] events)
        {
            Graph = graph;
            Syntax = syntax;
            Inputs = inputs;
            Events = events;
        }

        public ControlFlowGraph Graph { get; }

        public SyntaxNode Syntax { get; }

        /// <summary>The state on entry to each basic block (null when unreachable).</summary>
        public FlowState?[] Inputs { get; }

        /// <summary>The events of each basic block, in evaluation order.</summary>
        public List<FlowEvent>[] Events { get; }
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Builds the method models of one compilation with what the layers above the model hand it: the data-access types,
    /// the recognizers of each API family's execution sites (<see cref="ISiteRecognizer"/>, <c>Sites/</c>) and what the
    /// project's methods do (<see cref="ICalleeSummaries"/>, the summaries). The summaries own one, since they build the
    /// models of the methods they read; the analysis of a block (<c>Infrastructure/MethodAnalysis</c>) uses theirs.
    /// </summary>
    internal sealed class ModelBuilder
    {
        public ModelBuilder(DataAccessSymbols symbols, ICalleeSummaries summaries, ImmutableArray<ISiteRecognizer> recognizers)
        {
            Symbols = symbols;
            Summaries = summaries;
            Recognizers = recognizers;
        }

        public DataAccessSymbols Symbols { get; }

        public ICalleeSummaries Summaries { get; }

        /// <summary>The recognizers of execution sites, in the order the walk asks them (the first site found wins).</summary>
        public ImmutableArray<ISiteRecognizer> Recognizers { get; }

        /// <summary>The model of an operation block (a method with its lambdas and local functions).</summary>
        /// <param name="operations">The block's operations from <see cref="MethodModel.OperationsIfDataAccess"/>, when the caller has them.</param>
        public MethodModel Build(IOperation root, ImmutableHashSet<string> networkTypes, List<IOperation>? operations = null) => new(root, this, networkTypes, operations);
    }
}

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>The kinds of token the PostgreSQL lexer produces.</summary>
    internal enum SqlTokenKind
    {
        Whitespace,
        LineComment,
        BlockComment,

        /// <summary>An unquoted identifier or keyword (<c>select</c>, <c>tenant_id</c>).</summary>
        Identifier,

        /// <summary>A double-quoted identifier, <c>"Tenant Id"</c> or <c>U&amp;"..."</c>.</summary>
        QuotedIdentifier,

        /// <summary>A quoted string: <c>'x'</c>, <c>E'x'</c>, <c>U&amp;'x'</c>, <c>B'01'</c>, <c>X'ff'</c>, <c>N'x'</c>.</summary>
        String,

        /// <summary>A dollar-quoted string: <c>$$...$$</c> or <c>$tag$...$tag$</c>.</summary>
        DollarString,

        Number,

        /// <summary>A named placeholder: <c>:name</c> or <c>@name</c>.</summary>
        NamedParameter,

        /// <summary>A positional placeholder: <c>$1</c>.</summary>
        PositionalParameter,

        /// <summary>A value the C# side binds as a parameter (an interpolation hole of an EF Core FormattableString).</summary>
        ParameterHole,

        /// <summary>Text the C# side splices in (an interpolation hole or a concatenated non-constant).</summary>
        TextHole,

        /// <summary>The <c>::</c> cast operator.</summary>
        Cast,

        Semicolon,
        Comma,
        OpenParen,
        CloseParen,
        OpenBracket,
        CloseBracket,
        Dot,
        Operator,
        Other,
    }
}

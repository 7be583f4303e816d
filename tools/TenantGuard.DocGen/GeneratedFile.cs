namespace TenantGuard.DocGen;

/// <summary>A file, or the generated part of one, as the registry says it should read.</summary>
/// <param name="Path">Relative to the repository's root, with '/' separators.</param>
/// <param name="Content">The whole file's expected text ('\n' line ends).</param>
public sealed record GeneratedFile(string Path, string Content);

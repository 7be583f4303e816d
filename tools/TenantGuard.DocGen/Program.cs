using TenantGuard.DocGen;

// dotnet run --project tools/TenantGuard.DocGen [-- --check] [-- --root <folder>]
// Writes (or, with --check, only compares) what follows from the rule registry; exits 1 when something is left to do.
var check = args.Contains("--check");
var rootIndex = Array.IndexOf(args, "--root");
var root = rootIndex >= 0 && rootIndex + 1 < args.Length
    ? Path.GetFullPath(args[rootIndex + 1])
    : DocumentationSet.FindRoot(Environment.CurrentDirectory) ?? DocumentationSet.FindRoot(AppContext.BaseDirectory);
if (root is null)
{
    Console.Error.WriteLine("TenantGuard.sln not found above the current folder; pass --root <folder>");
    return 2;
}

List<string> problems;
if (check)
{
    problems = DocumentationSet.Check(root);
}
else
{
    (var written, problems) = DocumentationSet.Write(root);
    foreach (var path in written)
    {
        Console.WriteLine("wrote " + path);
    }

    if (written.Count == 0)
    {
        Console.WriteLine("every generated file is up to date");
    }
}

foreach (var problem in problems)
{
    Console.Error.WriteLine(problem);
}

return problems.Count == 0 ? 0 : 1;

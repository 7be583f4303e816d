using Microsoft.Build.Locator;
using TenantGuard.Cli;

// MSBuild must be located before any type of MSBuildWorkspace is loaded: the commands live in another class.
if (!MSBuildLocator.IsRegistered)
{
    MSBuildLocator.RegisterDefaults();
}

return await Commands.RunAsync(args);

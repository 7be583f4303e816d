using TenantGuard.Cli;

// MSBuild is located by the audit itself (Audit/Sdk), for the SDK the audited folder's global.json asks for, before
// any type of MSBuildWorkspace is loaded: the commands live in another class.
return await Commands.RunAsync(args);

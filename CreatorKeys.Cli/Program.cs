using CreatorKeys.Cli;

return await CliApp.RunAsync(args, CliConsole.FromProcess());

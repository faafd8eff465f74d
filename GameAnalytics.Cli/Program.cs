using GameAnalytics.Cli;
using Spectre.Console;

return await GameCtl.RunAsync(args, AnsiConsole.Console);

using System.CommandLine;
using Fraud.Streaming.Scorer;

// The host handles SIGTERM itself (drain, commit, close); the parser must not cut that short.
return await Fraud.Streaming.Shared.Cli.CommandLine.InvokeAsync(ScorerCommands.Build().Parse(args), Console.Error,
    new InvocationConfiguration { ProcessTerminationTimeout = null });

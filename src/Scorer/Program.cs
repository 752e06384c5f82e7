using System.CommandLine;
using Fraud.Streaming.Scorer;

// The host handles SIGTERM itself (drain, commit, close); the parser must not cut that short.
return await ScorerCommands.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

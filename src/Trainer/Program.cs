using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Trainer;

var root = TrainerCli.Build(TrainerCli.DefaultConfiguration(), Console.Out, Console.Error);
return await CommandLine.InvokeAsync(root.Parse(args), Console.Error);

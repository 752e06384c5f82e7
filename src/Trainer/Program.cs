using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Trainer;

var configuration = CliConfiguration.Build(args, out var commandArgs);
return await TrainerCli.RunAsync(configuration, commandArgs, Console.Out, Console.Error);

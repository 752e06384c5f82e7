using Fraud.Streaming.Trainer;

var root = TrainerCli.Build(TrainerCli.DefaultConfiguration(), Console.Out, Console.Error);
return await root.Parse(args).InvokeAsync();

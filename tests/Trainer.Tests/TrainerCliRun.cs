using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>Runs the trainer's command line in process, capturing what it writes.</summary>
internal static class TrainerCliRun
{
    public static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) =>
        RunAsync(new ConfigurationBuilder().Build(), args);

    public static async Task<(int Code, string Output, string Error)> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TrainerCli.RunAsync(configuration, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>The trainer reads settings from the command line too, and checks every section before any command runs.</summary>
public sealed class TrainerConfigurationTests
{
    [Fact]
    public async Task A_setting_on_the_command_line_is_read_and_a_bad_one_is_refused_with_exit_2()
    {
        var trainer = RepoPaths.BuiltAssembly("src/Trainer", "Fraud.Streaming.Trainer");
        await using (var run = ProcessRunner.StartDotnet(trainer, ["models", "list", "--Postgres:ConnectionString=abc"]))
        {
            Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.StartsWith("error: invalid configuration: Postgres:ConnectionString", Assert.Single(run.Lines).Text, StringComparison.Ordinal);
        }
        // A good one is taken over the environment's: the unreachable host it names is what the error reports.
        await using (var run = ProcessRunner.StartDotnet(trainer, ["models", "list", "--Postgres:ConnectionString=Host=127.0.0.1;Port=1;Database=none;Timeout=2"]))
        {
            Assert.Equal(4, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("127.0.0.1:1/none", run.Output, StringComparison.Ordinal);
        }
    }
}

using Fraud.Streaming.Shared.Cli;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>Bad train options stop the run before any data is read, with one line naming the flag.</summary>
public sealed class TrainOptionsTests
{
    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => TrainerCliRun.RunAsync(args);

    // Files that do not exist: validation must fail before anything tries to read them.
    private static readonly string[] Files = ["train", "--transactions", "missing-tx.jsonl", "--labels", "missing-labels.jsonl", "--out", "unused-out", "--no-register"];

    [Theory]
    [InlineData("--max-depth", "0")]
    [InlineData("--max-bins", "256")]
    [InlineData("--max-bins", "1")]
    [InlineData("--learning-rate", "0")]
    [InlineData("--lambda", "-1")]
    [InlineData("--min-child-weight", "-0.1")]
    [InlineData("--min-split-gain", "-1")]
    [InlineData("--subsample", "1.5")]
    [InlineData("--subsample", "0")]
    [InlineData("--colsample", "0")]
    [InlineData("--scale-pos-weight", "0")]
    [InlineData("--early-stopping-rounds", "-1")]
    [InlineData("--rounds", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--validation-fraction", "1")]
    [InlineData("--cost-review", "-5")]
    [InlineData("--cost-missed-fraud", "0")]
    public async Task Out_of_range_values_are_refused_with_one_line_naming_the_flag(string flag, string value)
    {
        var (code, _, error) = await RunAsync([.. Files, flag, value]);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(flag, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists("unused-out"));
    }

    [Theory]
    [InlineData("gbdt", "--leaves", "15")]
    [InlineData("gbdt", "--min-leaf", "5")]
    [InlineData("lightgbm", "--max-depth", "4")]
    [InlineData("lightgbm", "--scale-pos-weight", "10")]
    [InlineData("lightgbm", "--early-stopping-rounds", "10")]
    public async Task An_option_of_the_other_algorithm_is_refused_not_ignored(string algo, string flag, string value)
    {
        var (code, _, error) = await RunAsync([.. Files, "--algo", algo, flag, value]);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains($"{flag} does not apply to --algo {algo}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--algo", "xgboost")]
    [InlineData("--device", "tpu")]
    [InlineData("--thresholds", "magic")]
    public void Unknown_choices_are_parse_errors(string flag, string value)
    {
        var parse = TrainerCli.Build(new ConfigurationBuilder().Build(), TextWriter.Null, TextWriter.Null).Parse([.. Files, flag, value]);
        var problem = Assert.Single(parse.Errors);
        Assert.Contains(value, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cuda_with_the_lightgbm_baseline_is_refused()
    {
        var (code, _, error) = await RunAsync([.. Files, "--algo", "lightgbm", "--device", "cuda"]);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--device cuda needs --algo gbdt", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holdout_and_validation_must_leave_rows_to_train_on()
    {
        var (code, _, error) = await RunAsync([.. Files, "--holdout-fraction", "0.5", "--validation-fraction", "0.4"]);
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("--validation-fraction", error, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using Fraud.Streaming.Shared.Postgres;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Report;

/// <summary>
/// <c>monitoring report</c>: live quality, champion against challenger, scenarios, drift and retrain requests as Markdown,
/// printed, or written with plots to a folder. Reads Postgres (config <c>Postgres:ConnectionString</c> or <c>--pg</c>).
/// </summary>
internal static class ReportCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int PostgresUnavailable = 2;

    public static Command Build(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var pg = new Option<string?>("--pg") { Description = "Npgsql connection string (default: config Postgres:ConnectionString)" };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "write report.md and its plots (PNG) here instead of printing the Markdown" };
        var days = new Option<int>("--days") { Description = "event days back from the history's newest transaction", DefaultValueFactory = _ => 30 };
        days.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 3_650)
            {
                r.AddError("--days must be between 1 and 3650");
            }
        });
        var model = new Option<string>("--model-name") { Description = "the model (registry name) the champion, challenger and requests are of", DefaultValueFactory = _ => "fraud-gbdt" };
        var maturity = new Option<int>("--label-maturity-days") { Description = "days without a report after which a transaction is genuine (Quality:MaturityDays)", DefaultValueFactory = _ => 30 };
        var command = new Command("report", "print (or write with plots) live quality, champion vs challenger, scenarios, drift and retrain requests as Markdown")
        {
            pg, outDir, days, model, maturity,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(pg) ?? configuration[$"{PostgresOptions.Section}:ConnectionString"] ?? new PostgresOptions().ConnectionString,
            parse.GetValue(outDir)?.FullName, parse.GetValue(days), parse.GetValue(model)!, parse.GetValue(maturity), output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string connectionString, string? outDir, int days, string model, int maturityDays, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        ReportData? data;
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            SchemaMigrator.Apply(connectionString);
            data = await ReportData.ReadAsync(dataSource, model, days, maturityDays, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync($"error: cannot read the monitoring tables: {ex.Message.ReplaceLineEndings(" ")}");
            return PostgresUnavailable;
        }
        if (data is null)
        {
            await error.WriteLineAsync("error: the history is empty: no transaction, so nothing to report");
            return Failed;
        }
        if (outDir is null)
        {
            await output.WriteAsync(ReportMarkdown.Render(data, []));
            return Ok;
        }
        try
        {
            var plots = ReportPlots.Write(outDir, data);
            await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), ReportMarkdown.Render(data, plots), cancellationToken);
            await output.WriteLineAsync($"wrote report.md{string.Concat(plots.Select(p => $", {p}"))} to {outDir}");
            return Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot write the report to {outDir}: {ex.Message}");
            return Failed;
        }
    }
}

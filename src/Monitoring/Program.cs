using System.CommandLine;
using Fraud.Streaming.Monitoring;
using Fraud.Streaming.Monitoring.Report;

if (args.Length > 0 && args[0] == "report")
{
    var configuration = new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
    var root = new RootCommand("Fraud.Streaming monitoring") { ReportCommand.Build(configuration, Console.Out, Console.Error) };
    return await root.Parse(args).InvokeAsync();
}

var builder = WebApplication.CreateBuilder(args);
builder.AddMonitoring();
var app = builder.Build();
app.MapMonitoringEndpoints();
return await app.RunMonitoringAsync();

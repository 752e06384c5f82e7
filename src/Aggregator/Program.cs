using Fraud.Streaming.Aggregator;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddAggregator();
    await using var app = builder.Build();
    app.MapAggregatorEndpoints();
    var status = app.Services.GetRequiredService<AggregatorStatus>();
    await app.RunAsync();
    return status.IsHealthy ? 0 : 1;
}
catch (OptionsValidationException ex)
{
    // Options are validated as the host starts: a bad setting stops the process at once, in one line.
    await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join("; ", ex.Failures)}");
    return 2;
}
catch (IOException ex)
{
    // Kestrel could not listen (an address in use): one line, not a stack trace.
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}

using Fraud.Streaming.Aggregator;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddAggregator();
    await using var app = builder.Build();
    app.MapAggregatorEndpoints();
    await app.RunAsync();
    return app.Services.GetRequiredService<AggregatorStatus>().IsHealthy ? 0 : 1;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join("; ", ex.Failures)}");
    return 2;
}

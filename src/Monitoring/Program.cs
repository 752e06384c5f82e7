using Fraud.Streaming.Monitoring;

var builder = WebApplication.CreateBuilder(args);
builder.AddMonitoring();
var app = builder.Build();
app.MapMonitoringEndpoints();
return await app.RunMonitoringAsync();

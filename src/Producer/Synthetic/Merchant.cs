namespace Fraud.Streaming.Producer.Synthetic;

internal sealed record Merchant(string Id, string Category, string Country, bool Online);

namespace Fraud.Streaming.DataSets.Synthetic;

public sealed record Merchant(string Id, string Category, string Country, bool Online);

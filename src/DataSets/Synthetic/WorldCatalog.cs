namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>The fixed vocabularies of the synthetic world (countries, categories, domains).</summary>
public static class WorldCatalog
{
    public static readonly string[] HomeCountries = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "CA", "PL", "SE"];
    public static readonly double[] HomeCountryWeights = [0.34, 0.14, 0.12, 0.10, 0.07, 0.06, 0.05, 0.05, 0.04, 0.03];

    /// <summary>Where stolen cards tend to be used; any other home country also counts as foreign.</summary>
    public static readonly string[] FraudCountries = ["RU", "NG", "BR", "CN", "RO", "UA", "VN", "ID"];

    public static readonly string[] Categories =
        ["grocery", "restaurant", "fuel", "pharmacy", "fashion", "electronics", "travel", "entertainment", "digital_goods", "jewelry"];

    /// <summary>Typical amount of a category relative to the card's own typical amount, by index in <see cref="Categories"/>.</summary>
    public static readonly double[] CategoryAmountFactor = [1.0, 0.8, 1.0, 0.6, 1.5, 3.0, 4.0, 0.7, 0.3, 4.0];

    public static readonly string[] EmailDomains = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me", "web.de", "orange.fr", "gmx.net"];

    public static string CurrencyOf(string country) => country switch
    {
        "US" => "USD",
        "GB" => "GBP",
        "CA" => "CAD",
        "PL" => "PLN",
        "SE" => "SEK",
        "DE" or "FR" or "ES" or "IT" or "NL" => "EUR",
        _ => "USD",
    };

    public static int IndexOfCategory(string category) => Array.IndexOf(Categories, category);

    /// <summary>An ISO 18245 merchant category code for each of <see cref="Categories"/> (by index).</summary>
    public static readonly string[] CategoryMcc = ["5411", "5812", "5541", "5912", "5651", "5732", "4722", "7832", "5818", "5944"];

    /// <summary>The canonical channel name (transaction schema) of a channel the synthetic world uses.</summary>
    public static string CanonicalChannel(string channel) => channel switch
    {
        "online" => "ecommerce",
        "pos" => "card_present",
        _ => channel,
    };
}

namespace Fraud.Streaming.Producer.Synthetic;

/// <summary>Scenario names carried in <c>Label.Scenario</c>; the trainer's reports group by them.</summary>
internal static class FraudScenarios
{
    /// <summary>A burst of tiny online amounts at new merchants, then one large amount.</summary>
    public const string CardTesting = "card_testing";

    /// <summary>New device, foreign country, amounts far above the card's usual, often at night.</summary>
    public const string AccountTakeover = "account_takeover";

    public const string ChargebackSource = "chargeback";
    public const string MaturedSource = "matured";
}

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>Scenario names carried in <c>Label.Scenario</c>; the trainer's reports group by them.</summary>
public static class FraudScenarios
{
    /// <summary>A burst of tiny online amounts at new merchants, then one large amount.</summary>
    public const string CardTesting = "card_testing";

    /// <summary>New device, foreign country, amounts far above the card's usual, often at night.</summary>
    public const string AccountTakeover = "account_takeover";

    /// <summary>The physical card (or a clone) used in person abroad: several shop purchases within hours.</summary>
    public const string StolenCardAbroad = "stolen_card_abroad";

    /// <summary>Many cards pay at one compromised merchant; days later each is used online by the fraudster.</summary>
    public const string MerchantCompromise = "merchant_compromise";

    /// <summary>The cardholder's own device and country, purchases escalating over a day or two, never paid back.</summary>
    public const string BustOut = "bust_out";

    /// <summary>A merchant's terminal compromised for weeks: a share of the transactions at that merchant are fraud.</summary>
    public const string CompromisedMerchant = "compromised_merchant";

    /// <summary>The cardholder's own device, home and merchants, ordinary amounts, disputed later (friendly fraud).</summary>
    public const string FriendlyFraud = "friendly_fraud";

    /// <summary>Single modest online purchases days apart on a card number, from the fraudster's device: no burst.</summary>
    public const string LowAndSlow = "low_and_slow";

    /// <summary>Every scenario, in the order the mixes list them.</summary>
    public static readonly string[] All = [CardTesting, AccountTakeover, StolenCardAbroad, MerchantCompromise, BustOut, CompromisedMerchant, FriendlyFraud, LowAndSlow];

    /// <summary>A fraud report that arrives weeks later, from the card scheme.</summary>
    public const string ChargebackSource = "chargeback";

    /// <summary>A fraud report confirmed within days, when the cardholder calls in.</summary>
    public const string ConfirmedSource = "confirmed_fraud";

    /// <summary>A genuine transaction, settled (labels of every transaction, <c>--labels all</c>).</summary>
    public const string MaturedSource = "matured";

    /// <summary>A transaction an analyst reviewed and confirmed genuine.</summary>
    public const string ReviewSource = "review";
}

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>How one card normally behaves; legitimate traffic follows it, fraud departs from it.</summary>
public sealed record CardProfile(
    string Id,
    string HomeCountry,
    string Currency,
    double AmountMu,
    double AmountSigma,
    int[] PreferredMerchants,
    string[] Devices,
    int ActiveFromHour,
    int ActiveToHour,
    double OnlineShare,
    string EmailDomain,
    string Ip)
{
    /// <summary>The card's median amount, the yardstick for "high relative to usual".</summary>
    public double TypicalAmount => Math.Exp(AmountMu);

    /// <summary>Whether the card shops at this hour; hours that wrap past midnight (a night owl's 18..3) are allowed.</summary>
    public bool IsActiveAt(int hour) => ActiveFromHour <= ActiveToHour
        ? hour >= ActiveFromHour && hour <= ActiveToHour
        : hour >= ActiveFromHour || hour <= ActiveToHour;
}

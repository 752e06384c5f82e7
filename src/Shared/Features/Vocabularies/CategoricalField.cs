namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// The contract fields every trained model encodes with a vocabulary learned from its training data, in slot order
/// (<see cref="EncodingLayout"/>).
/// </summary>
public enum CategoricalField
{
    /// <summary><c>channel</c>, after mapping aliases to canonical names (<see cref="Contracts.ChannelNames"/>).</summary>
    Channel = 0,

    /// <summary><c>merchant_category</c>: MCC codes or words, as the producer sends them.</summary>
    MerchantCategory = 1,

    /// <summary><c>country</c>.</summary>
    Country = 2,

    /// <summary><c>currency</c>.</summary>
    Currency = 3,

    /// <summary><c>email_domain</c> (often missing).</summary>
    EmailDomain = 4,
}

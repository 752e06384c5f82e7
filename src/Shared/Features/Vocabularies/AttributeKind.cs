namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>How a declared attribute becomes a feature.</summary>
public enum AttributeKind
{
    /// <summary>Its value as a number.</summary>
    Numeric = 0,

    /// <summary>Its value's code in a vocabulary learned from training data.</summary>
    Categorical = 1,
}

namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>
/// One entry of a transaction's open <c>attributes</c> map that the feature spec passes through as a feature
/// (e.g. IEEE-CIS <c>C1</c> numeric, <c>M4</c> categorical), with the value to use when a transaction lacks it.
/// </summary>
/// <param name="Name">the attribute's key in <c>attributes</c>, exactly (case-sensitive).</param>
/// <param name="Kind">numeric or categorical.</param>
/// <param name="NumericDefault">a numeric attribute's value when missing or not a number.</param>
/// <param name="CategoricalDefault">a categorical attribute's value when missing (then encoded like any value); null: the missing code.</param>
public sealed record AttributeDeclaration(string Name, AttributeKind Kind, float NumericDefault = AttributeDeclaration.DefaultNumeric, string? CategoricalDefault = null)
{
    /// <summary>A numeric attribute's default when its declaration names none.</summary>
    public const float DefaultNumeric = -1f;

    /// <summary>The feature's name: <c>attr_NAME</c>, or <c>attr_NAME_code</c> for a categorical one.</summary>
    public string FeatureName => Kind == AttributeKind.Numeric ? $"attr_{Name}" : $"attr_{Name}_code";
}

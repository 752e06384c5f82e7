namespace Fraud.Streaming.Shared.Contracts;

/// <summary>A declared attribute as the manifest keeps it.</summary>
/// <param name="Name">the key in the transaction's <c>attributes</c>.</param>
/// <param name="Type"><c>numeric</c> or <c>categorical</c>.</param>
public sealed record AttributeInfo(string Name, string Type)
{
    /// <summary>A numeric attribute's value when missing or not a number.</summary>
    public double? Default { get; init; }

    /// <summary>A categorical attribute's value when missing (encoded like any value); null: the missing code.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>A categorical attribute's learned vocabulary (as <see cref="VocabularyInfo.Values"/>).</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

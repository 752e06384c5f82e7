using Microsoft.Extensions.Options;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Validates options with a check that throws <see cref="InvalidOperationException"/> naming the bad setting (the
/// shared <c>Validate()</c> methods and key loaders), so the message at start is the check's own one line.
/// </summary>
internal sealed class CheckedOptions<T>(Action<T> check) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        try
        {
            check(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
